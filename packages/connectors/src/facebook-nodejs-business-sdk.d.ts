// The SDK ships Flow types only; meta-ads-connector.ts declares the slice it uses.
declare module 'facebook-nodejs-business-sdk';
