/**
 * The commands room: one command per file, each a class that registers itself (src/services/command.ts);
 * this file only creates them with the services they need. Writing commands go through the one write
 * path (write/writePath.ts); see docs/architecture.md "How to add a writing command".
 */
import type { CloudsModel } from '../services/cloudsModel';
import type { Connections } from '../services/connections';
import type { Ctx } from '../services/ctx';
import { ConsumerRestart } from './credentials/consumerRestart';
import { PushHistory } from './credentials/credentialCommand';
import { KeepInSync } from './credentials/keepInSync';
import { PushToTenant } from './credentials/pushToTenant';
import { PushToWorkloadClusters } from './credentials/pushToWorkloadClusters';
import { RotateCredential } from './credentials/rotate';
import { ShowPropagation } from './credentials/showPropagation';
import { CredentialSources } from './credentials/sources';
import { TestConnection } from './credentials/testConnection';
import { LiveResourcesCommand } from './liveResources';
import { DeleteCluster } from './ops/deleteCluster';
import { PauseCluster } from './ops/pauseCluster';
import { ScaleCluster } from './ops/scaleCluster';
import { UpgradeCluster } from './ops/upgradeCluster';
import { ApplyClusterStack } from './stacks/applyClusterStack';
import { ApplyDocument } from './stacks/applyDocument';
import { OnboardTenant } from './stacks/onboardTenant';
import { OrderCluster } from './stacks/orderCluster';
import { PreviewRelease } from './stacks/previewRelease';
import { WritePath } from './write/writePath';

export function registerCommands(ctx: Ctx, services: { connections: Connections; clouds: CloudsModel }): void {
  const { connections } = services;
  const write = new WritePath(ctx, connections);
  const credentials = {
    connections,
    write,
    sources: new CredentialSources(ctx, services.clouds),
    history: new PushHistory(),
    restart: new ConsumerRestart(ctx, { connections, write }),
  };
  new PushToTenant(ctx, credentials);
  new PushToWorkloadClusters(ctx, credentials);
  new KeepInSync(ctx, credentials);
  new ShowPropagation(ctx, credentials);
  new TestConnection(ctx, credentials);
  new RotateCredential(ctx, credentials);
  const stacks = { connections, write };
  new ApplyClusterStack(ctx, stacks);
  new ApplyDocument(ctx, stacks);
  new OnboardTenant(ctx, stacks);
  new OrderCluster(ctx, stacks);
  new PreviewRelease(ctx);
  new UpgradeCluster(ctx, stacks);
  new ScaleCluster(ctx, stacks);
  new PauseCluster(ctx, stacks, true);
  new PauseCluster(ctx, stacks, false);
  new DeleteCluster(ctx, stacks);
  new LiveResourcesCommand(ctx);
}
