/**
 * Where the credential commands get the credentials from (docs/architecture.md "How a clouds.yaml value
 * flows"): a cloud of a clouds.yaml, read with its secure.yaml and clouds-public.yaml through the
 * editor's clouds model (open buffers win over disk), or the tenant's identity secret in the management
 * cluster; and what the tenant's ClusterClasses expect (identity secret name, cloud name). The values
 * only pass through here on their way into a manifest: nothing is logged or shown.
 */
import * as vscode from 'vscode';
import { convertCloud, identitySecretPayload, selectCloud } from '../../core/clouds';
import { credentialTarget, type ClusterIdentity } from '../../core/capi/identity';
import type { ConvertedCloud, IdentitySecretPayload } from '../../core/clouds/api';
import { firstErrorLine } from '../../core/findings';
import type { ConfSection } from '../../core/gcfg/encode';
import { validateExtraSections } from '../../core/gcfg/validate';
import {
  cloudConfigSecret,
  cloudsYamlSecret,
  expectedIdentity,
  loadBalancerSection,
  payloadOfSecret,
  withSections,
  workloadSecretFromPayload,
  WORKLOAD_STYLES,
  type ExpectedIdentity,
  type SecretManifest,
  type WorkloadStyle,
} from '../../core/manifests/credentials';
import type { KubeClient } from '../../kube/api';
import type { CloudsModel } from '../../services/cloudsModel';
import { toUri, UserError } from '../../services/command';
import type { Ctx } from '../../services/ctx';
import { kube } from '../../services/kube';
import { pickOne } from '../../services/prompts';
import type { SourceArgs } from './results';

export class CredentialSources {
  constructor(
    private readonly ctx: Ctx,
    private readonly model: CloudsModel,
  ) {}

  private group(uri: vscode.Uri) {
    const group = this.model.group(uri);
    if (!group) throw new UserError(`Cannot read ${uri.fsPath || uri.toString()} (missing or too large).`);
    return group;
  }

  /** The cloud to use: as requested, the only one, or a pick. */
  async cloudName(uri: vscode.Uri, requested: string | undefined): Promise<string> {
    const group = this.group(uri);
    if (requested) return requested;
    const sel = selectCloud(group.input, undefined);
    if (sel.ok) return sel.cloud;
    const clouds = (await this.model.analyze(uri))?.clouds ?? [];
    if (clouds.length < 2) throw new UserError(firstErrorLine(sel.findings));
    return pickOne(
      'Cloud',
      clouds.map((c) => ({ label: c.name, description: c.authType, value: c.name })),
    );
  }

  /** The flattened identity payload of a cloud in a clouds.yaml (+ secure.yaml / profile). */
  async payloadFromClouds(uri: vscode.Uri, cloud: string | undefined): Promise<IdentitySecretPayload> {
    const name = await this.cloudName(uri, cloud);
    const res = identitySecretPayload(this.group(uri).input, name, this.ctx.config.convertOptions(uri));
    if (!res.ok) throw new UserError(`Cloud "${name}": ${firstErrorLine(res.findings)}`);
    return res.payload;
  }

  /** A cloud of a clouds.yaml converted to cloud.conf with the editor's settings (what the preview shows). */
  convertedFromClouds(uri: vscode.Uri, cloud: string): ConvertedCloud {
    const r = convertCloud(this.group(uri).input, cloud, this.ctx.config.convertOptions(uri));
    if (!r.ok) throw new UserError(`Cloud "${cloud}": ${firstErrorLine(r.findings)}`);
    return r;
  }

  /** What the tenant's ClusterClasses expect as identity secret name / cloud name. */
  async expected(client: KubeClient, namespace: string): Promise<ExpectedIdentity> {
    const k = await kube();
    const gv = await client.discovery.preferredVersion('cluster.x-k8s.io');
    const classes = gv ? await k.listObjects(client, gv, 'ClusterClass', namespace) : [];
    return classes.map(expectedIdentity).find((e) => e.source !== 'default') ?? expectedIdentity(undefined);
  }

  /**
   * The OpenStackClusterIdentity whose Secret CAPO reads for `clusters` of the tenant (all when undefined), or undefined
   * when they read the tenant's own Secret; a refused or unresolvable identity, or clusters reading different
   * credentials, refuse the push here, before any write (identity.ts `credentialTarget`).
   */
  async identityTarget(client: KubeClient, namespace: string, clusters?: readonly string[]): Promise<ClusterIdentity | undefined> {
    const target = credentialTarget(await (await kube()).readClusterIdentities(client, namespace, clusters));
    if (!target.ok) throw new UserError(`Refused: ${target.reason}.`);
    return target.identity;
  }

  /**
   * The identity payload held by the tenant's secret, or by the Secret of the OpenStackClusterIdentity the clusters use
   * (read with the identityRef's cloud name, as CAPO reads it).
   */
  async payloadFromTenant(
    client: KubeClient,
    namespace: string,
    secretName: string | undefined,
    identity?: ClusterIdentity,
  ): Promise<{ payload: IdentitySecretPayload; secretName: string; namespace: string }> {
    const ns = identity?.secret?.namespace ?? namespace;
    const name = identity?.secret?.name ?? secretName ?? (await this.expected(client, namespace)).secretName;
    const secret = await (await kube()).getObject(client, 'v1', 'Secret', ns, name);
    if (!secret)
      throw new UserError(
        identity
          ? `OpenStackClusterIdentity ${identity.identityName} names Secret ${ns}/${name}, which does not exist. Push a cloud to the tenant first, or pass uri and cloud.`
          : `The tenant has no identity secret ${ns}/${name}. Push a cloud to the tenant first, or pass uri and cloud.`,
      );
    const p = payloadOfSecret(secret, identity?.cloudName);
    if (!p.ok) throw new UserError(`Secret ${ns}/${name}: ${p.reason}.`);
    return { payload: p.payload, secretName: name, namespace: ns };
  }

  /** The workload secret of `style`, from a clouds.yaml when given, else from the tenant secret. */
  async workloadSecret(
    client: KubeClient,
    namespace: string,
    args: SourceArgs,
    style: WorkloadStyle,
    perCluster: readonly ConfSection[] = [],
    identity?: ClusterIdentity,
  ): Promise<{ secret: SecretManifest; source: string }> {
    const uri = toUri(args.uri);
    if (uri) {
      const cloud = await this.cloudName(uri, args.cloud);
      const source = `cloud "${cloud}" of ${vscode.workspace.asRelativePath(uri)}`;
      if (style === 'cloud-config') {
        const r = convertCloud(this.group(uri).input, cloud, withSections(this.ctx.config.convertOptions(uri), perCluster));
        if (!r.ok) throw new UserError(`Cloud "${cloud}": ${firstErrorLine(r.findings)}`);
        return { secret: cloudConfigSecret({ text: r.text, ...(r.cacert !== undefined ? { cacert: r.cacert } : {}) }), source };
      }
      return { secret: cloudsYamlSecret(await this.payloadFromClouds(uri, cloud), perCluster), source };
    }
    const from = await this.payloadFromTenant(client, namespace, args.secretName, identity);
    const w = workloadSecretFromPayload(from.payload, style, this.ctx.config.convertOptions(undefined), perCluster);
    if (!w.ok) throw new UserError(`Secret ${from.namespace}/${from.secretName}: ${firstErrorLine(w.findings)}`);
    return {
      secret: w.secret,
      source: identity
        ? `Secret ${from.namespace}/${from.secretName} of OpenStackClusterIdentity ${identity.identityName}`
        : `tenant secret ${from.namespace}/${from.secretName}`,
    };
  }

  /** The cloud name for resource-set names when the workload secret does not carry it (cloud-config style). */
  async cloudForNames(client: KubeClient, namespace: string, args: SourceArgs): Promise<string> {
    const uri = toUri(args.uri);
    if (uri) return this.cloudName(uri, args.cloud);
    return (await this.payloadFromTenant(client, namespace, args.secretName)).payload.cloudName;
  }

  /** The workload secret style: as passed, else a pick. */
  async style(args: { style?: WorkloadStyle }): Promise<WorkloadStyle> {
    if (args.style) {
      if (!WORKLOAD_STYLES.includes(args.style)) throw new UserError(`style must be one of ${WORKLOAD_STYLES.join(', ')}`);
      return args.style;
    }
    return pickOne<WorkloadStyle>('Secret style in the workload clusters', [
      { label: 'cloud-config', description: 'kube-system/cloud-config with cloud.conf (series scs)', value: 'cloud-config' },
      { label: 'clouds-yaml', description: 'kube-system/clouds-yaml with clouds.yaml, use-clouds (series scs2)', value: 'clouds-yaml' },
    ]);
  }

  /** Validated `[LoadBalancer]` options as sections (errors refuse, warnings are logged). */
  lbSections(options: Readonly<Record<string, unknown>> | undefined): ConfSection[] {
    let section: ConfSection | undefined;
    try {
      section = loadBalancerSection(options);
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    if (!section) return [];
    for (const p of validateExtraSections([section])) {
      if (p.severity === 'error') throw new UserError(p.message);
      this.ctx.log.warn(p.message);
    }
    return [section];
  }
}
