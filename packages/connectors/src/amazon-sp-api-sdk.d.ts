// Amazon's prebuilt SP-API SDK ships .d.ts per API module but no root index.d.ts for its
// package entry; amazon-sp-api-client.ts declares the slice it uses.
declare module '@amazon-sp-api-release/amazon-sp-api-sdk-js';
