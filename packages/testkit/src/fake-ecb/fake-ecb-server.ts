import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The running fake. */
export interface FakeEcb {
  /** The base to set as ECB_API_BASE (…/service). */
  url: string;
  requests: string[];
  close(): Promise<void>;
}

const HEADER =
  'KEY,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE,OBS_STATUS,OBS_CONF,OBS_PRE_BREAK,OBS_COM,TIME_FORMAT,BREAKS,COLLECTION,COMPILING_ORG,DISS_ORG,DOM_SER_IDS,PUBL_ECB,PUBL_MU,PUBL_PUBLIC,UNIT_INDEX_BASE,COMPILATION,COVERAGE,DECIMALS,NAT_TITLE,SOURCE_AGENCY,SOURCE_PUB,TITLE,TITLE_COMPL,UNIT,UNIT_MULT';

/**
 * A local ECB Data Portal for the EXR dataflow: `GET /service/data/EXR/D.<CCY+CCY>.EUR.SP00.A?startPeriod=…&format=csvdata`
 * answers the daily reference rates it holds as the portal's CSV (one row per observation, the
 * portal's columns); currencies it does not hold are absent, and none at all is a 404 "No results found".
 */
export async function startFakeEcb(rates: Record<string, Record<string, number>>): Promise<FakeEcb> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake-ecb');
    requests.push(`${url.pathname}${url.search}`);
    const match = /^\/service\/data\/EXR\/D\.([A-Z+]+)\.EUR\.SP00\.A$/.exec(url.pathname);
    if (match === null || url.searchParams.get('format') !== 'csvdata') {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end('Bad request: expected /service/data/EXR/D.<currencies>.EUR.SP00.A?format=csvdata');
      return;
    }
    const start = url.searchParams.get('startPeriod') ?? '0000-00-00';
    const rows: string[] = [];
    for (const currency of (match[1] ?? '').split('+')) {
      for (const [day, value] of Object.entries(rates[currency] ?? {}).sort()) {
        if (day < start) continue;
        rows.push(
          `EXR.D.${currency}.EUR.SP00.A,D,${currency},EUR,SP00,A,${day},${value},A,F,,,P1D,,A,,,,,,,,,,4,,4F0,,Euro foreign exchange reference rates,"ECB reference exchange rate, ${currency}/Euro, 2:15 pm (C.E.T.)",${currency},0`,
        );
      }
    }
    if (rows.length === 0) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('No results found.');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
    response.end(`${HEADER}\n${rows.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/service`,
    requests,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
