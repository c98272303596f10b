/**
 * `clusterStacks.pushToTenant` (docs/domain.md §1, §3, §(c); CSP step 5 of §(d)): one cloud of a
 * clouds.yaml, flattened with its secure.yaml and profile (CAPO reads neither), becomes the tenant's
 * identity Secret under the name its ClusterClasses expect; a new tenant namespace is created in the
 * same write. When the tenant's clusters read their credentials through a CAPO OpenStackClusterIdentity
 * (OpenStackCluster `identityRef.type: ClusterIdentity`), the Secret written is the one that identity names — in
 * its own namespace, and read by every namespace it admits, which the gate shows; an identity CAPO refuses for
 * this namespace refuses the push before any write. Through the write path: dry run, masked diff, gate,
 * server-side apply.
 */
import { expectedIdentity, identitySecret, namespaceManifest } from '../../core/manifests/credentials';
import type { DisposableStore } from '../../lifecycle';
import { COMMAND } from '../../services/commandIds';
import { toUri, UserError, type Args } from '../../services/command';
import type { Ctx } from '../../services/ctx';
import { pickNamespace } from '../../services/prompts';
import { CredentialCommand, type CredentialDeps } from './credentialCommand';
import { outcomeOfReport, reportView, type CommandResult, type PushToTenantArgs } from './results';

export class PushToTenant extends CredentialCommand {
  constructor(ctx: Ctx, deps: CredentialDeps) {
    super(ctx, deps, { id: COMMAND.pushToTenant, title: 'Push to tenant', writes: true });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<CommandResult> {
    const args = raw as PushToTenantArgs;
    const uri = toUri(args.uri);
    if (!uri) throw new UserError('Open a clouds.yaml and use "Push to tenant…" on a cloud, or pass uri.');
    const { sources, write } = this.deps;
    const payload = await sources.payloadFromClouds(uri, args.cloud);
    const conn = await write.target(args, 'Management cluster (kube context)', scope);
    const ns = await pickNamespace(conn, args.namespace, 'Tenant namespace', { allowNew: true });
    if (!ns.exists && args.createNamespace === false)
      throw new UserError(`Namespace ${ns.name} does not exist (createNamespace is false).`);
    // An explicit secretName is the tenant's own Secret: the push then relies on no identity.
    const identity = ns.exists && !args.secretName ? await sources.identityTarget(conn.client, ns.name) : undefined;
    if (identity && payload.cloudName !== identity.cloudName)
      throw new UserError(
        `Refused: ${identity.at}.cloudName is "${identity.cloudName}", but the cloud pushed is "${payload.cloudName}": CAPO would not find it in the clouds.yaml of Secret ${identity.secret?.namespace}/${identity.secret?.name}.`,
      );
    const secretName =
      args.secretName ?? (ns.exists ? (await sources.expected(conn.client, ns.name)).secretName : expectedIdentity(undefined).secretName);
    const target = identity?.secret ?? { namespace: ns.name, name: secretName };
    const { report, dryRun } = await write.toCluster(
      {
        title: this.meta.title,
        action: identity
          ? `Write the identity secret of cloud "${payload.cloudName}" to Secret ${target.namespace}/${target.name} of OpenStackClusterIdentity ${identity.identityName} (what the clusters of tenant ${ns.name} use; every namespace the identity admits reads it)`
          : `Write the identity secret of cloud "${payload.cloudName}" to tenant ${ns.name}`,
        conn,
        namespaces: [target.namespace],
        objects: [...(ns.exists ? [] : [namespaceManifest(ns.name)]), identitySecret({ ...target, payload })],
      },
      args,
    );
    return {
      outcome: dryRun ? 'done' : outcomeOfReport(report),
      context: conn.context,
      namespace: ns.name,
      management: reportView(report),
    };
  }
}
