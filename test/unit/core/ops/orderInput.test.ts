import * as assert from 'node:assert/strict';
import { orderForm } from '../../../../src/core/ops/order';
import { orderValuesOf, type RawOrder } from '../../../../src/core/ops/orderInput';
import { clusterClass, readyRelease } from './tenant';

const MODEL = orderForm({
  clusterClass: clusterClass('openstack-scs2-1-33-v1'),
  releases: [readyRelease('openstack-scs2-1-33-v1', 'v1.33.4')],
});

const raw = (over: Partial<RawOrder> = {}): RawOrder => ({
  name: ' shop ',
  controlPlaneReplicas: '3',
  credentials: '',
  workers: [{ class: 'default-worker', enabled: true, name: 'md-0', replicas: '2' }],
  variables: {},
  ...over,
});

describe('ops: the order form input', () => {
  it('parses the typed texts per field kind; empty fields are not entered; nested objects from their properties', () => {
    const { values, messages } = orderValuesOf(
      MODEL,
      raw({
        variables: {
          networkMTU: '1400',
          imageIsOrc: 'true',
          workerFlavor: 'SCS-8V-16',
          'identityRef.cloudName': 'openstack',
          imageName: '',
        },
      }),
    );
    assert.deepEqual(messages, []);
    assert.equal(values.name, 'shop');
    assert.equal(values.controlPlaneReplicas, 3);
    assert.equal(values.credentials, undefined);
    assert.deepEqual(values.workers, [{ class: 'default-worker', name: 'md-0', replicas: 2 }]);
    assert.deepEqual(values.variables, {
      networkMTU: 1400,
      imageIsOrc: true,
      workerFlavor: 'SCS-8V-16',
      identityRef: { cloudName: 'openstack' },
    });
  });

  it('says which field does not parse, and leaves disabled worker classes out', () => {
    const { values, messages } = orderValuesOf(
      MODEL,
      raw({
        controlPlaneReplicas: 'three',
        workers: [
          { class: 'default-worker', enabled: false, name: 'md-0', replicas: 'x' },
          { class: 'default-worker', enabled: true, name: 'md-1', replicas: 'many' },
        ],
        variables: { networkMTU: '14.5', imageIsOrc: 'yes' },
      }),
    );
    assert.deepEqual(messages, [
      { field: 'controlPlaneReplicas', message: 'a whole number' },
      { field: 'workers[0].replicas', message: 'a whole number' },
      { field: 'imageIsOrc', message: 'Image is orc: true or false' },
      { field: 'networkMTU', message: 'Network MTU: a whole number' },
    ]);
    assert.equal(values.workers.length, 1);
    assert.deepEqual(values.variables, {});
  });
});
