/** The clouds.yaml core: analysis, conversion to cloud.conf, the flattened identity secret (types in api.ts). */
export { analyzeClouds, convertCloud, identitySecretPayload, selectCloud } from './convert';
export { CODES } from './codes';
export { DEFAULT_CA_FILE_IN_POD } from './plan';
