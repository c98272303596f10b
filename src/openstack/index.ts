/**
 * The OpenStack room: talks to clouds (Keystone) as src/kube talks to clusters. No `vscode` import;
 * node:http/https only; honours `cacert`, `verify: false`, `interface` and timeouts; never logs,
 * stores or returns a token, and returns secrets only as masked `Secret` objects.
 *
 *   const converted = convertCloud(input, 'openstack');            // src/core/clouds
 *   if (converted.ok) {
 *     const cloud = cloudFromConversion(converted);                // what the CCM will use
 *     const report = await checkConnection(cloud);                 // report.ok, report.problems
 *     const created = await createApplicationCredential(cloud, { name: 'cred-2', expiresAt, password });
 *     if (created.ok) await verifyCredential(created.cloud);       // created.secret.reveal() only to write it
 *     await deleteApplicationCredential(cloud, oldId, { password }); await confirmRevoked(oldCloud);
 *   }
 */
export { cloudFromConversion, cloudFromSections, withApplicationCredential } from './cloud';
export type { DeliveryStyle, EndpointInterface, OpenStackCloud } from './cloud';
export { checkConnection, SERVICE_TYPES } from './check';
export type {
  ApplicationCredentialState,
  CheckOptions,
  ConnectionReport,
  ConsumerService,
  EndpointCheck,
  Problem,
  ProblemCode,
} from './check';
export {
  confirmRevoked,
  createApplicationCredential,
  deleteApplicationCredential,
  listApplicationCredentials,
  verifyCredential,
} from './appcred';
export type { CreateOptions, CreatedApplicationCredential, Identity, ManageOptions, Outcome } from './appcred';
export { OpenStackError } from './http';
export type { OpenStackErrorCode } from './http';
export { formatConnectionReport } from './report';
export { Secret, scrub } from './secret';
