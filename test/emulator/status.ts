// metav1.Status errors with the reasons, codes and message formats of kube-apiserver
// (kubernetes/apimachinery@v0.32.0 pkg/api/errors/errors.go; NewInvalid at :283-311).
import { aggregate, errorBody, FieldError, goQuote } from './fielderrors';
import { qualifiedResource, ResourceType } from './resources';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: StatusBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message);
  }
}

function failure(code: number, reason: string, message: string, details?: StatusBody['details']): ApiError {
  const status: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new ApiError(status);
}

function details(t: ResourceType, name?: string): StatusBody['details'] {
  const d: StatusBody['details'] = {};
  if (name !== undefined) d.name = name;
  if (t.group) d.group = t.group;
  d.kind = t.plural;
  return d;
}

export const errors = {
  notFound: (t: ResourceType, name: string) => failure(404, 'NotFound', `${qualifiedResource(t)} "${name}" not found`, details(t, name)),
  pathNotFound: () => failure(404, 'NotFound', 'the server could not find the requested resource', {}),
  alreadyExists: (t: ResourceType, name: string) =>
    failure(409, 'AlreadyExists', `${qualifiedResource(t)} "${name}" already exists`, details(t, name)),
  /** NewGenerateNameConflict (errors.go:176-191), sent with retryAfterSeconds 1 by CheckGeneratedNameError. */
  generateNameConflict: (t: ResourceType, name: string) =>
    failure(
      409,
      'AlreadyExists',
      `${qualifiedResource(t)} "${name}" already exists, the server was not able to generate a unique name for the object`,
      {
        ...details(t, name),
        retryAfterSeconds: 1,
      },
    ),
  conflict: (t: ResourceType, name: string) =>
    failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(t)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      details(t, name),
    ),
  applyConflict: (message: string, causes: StatusCause[]) => failure(409, 'Conflict', message, { causes }),
  forbidden: (
    t: ResourceType | undefined,
    resource: string,
    name: string | undefined,
    user: string,
    verb: string,
    group: string,
    namespace: string | undefined,
    subresource?: string,
  ) => {
    const res = subresource ? `${resource}/${subresource}` : resource;
    const what = t ? qualifiedResource(t) : resource;
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    const subject = name ? `${what} "${name}"` : what;
    const d: StatusBody['details'] = {};
    if (name) d.name = name;
    if (group) d.group = group;
    d.kind = resource;
    return failure(
      403,
      'Forbidden',
      `${subject} is forbidden: User "${user}" cannot ${verb} resource "${res}" in API group "${group}" ${scope}`,
      d,
    );
  },
  forbiddenMessage: (t: ResourceType, name: string, message: string) =>
    failure(403, 'Forbidden', `${qualifiedResource(t)} "${name}" is forbidden: ${message}`, details(t, name)),
  unauthorized: () => failure(401, 'Unauthorized', 'Unauthorized'),
  badRequest: (message: string) => failure(400, 'BadRequest', message),
  /** NewInvalid: every error is a cause; the message lists them once each. `kind` '' for the GroupKind{} patch errors. */
  invalid: (kind: string, group: string, name: string, errs: FieldError[]) => {
    const gk = group ? `${kind}.${group}` : kind;
    const d: StatusBody['details'] = {};
    if (name) d.name = name;
    if (group) d.group = group;
    if (kind) d.kind = kind;
    d.causes = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
    return failure(422, 'Invalid', `${gk} ${goQuote(name)} is invalid${errs.length ? `: ${aggregate(errs)}` : ''}`, d);
  },
  /** NewRequestEntityTooLargeError (errors.go:426-433). */
  requestEntityTooLarge: (message: string) => failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`),
  /** An error that is not a Status (responsewriters/status.go:60-82): 500, no reason, the error text. */
  plain: (message: string) => {
    const status: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 };
    return new ApiError(status);
  },
  methodNotAllowed: (t: ResourceType, verb: string) =>
    failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {
      ...details(t),
      causes: [{ message: `verb ${verb}` }],
    }),
  unsupportedMediaType: (contentType: string, accepted: string[]) =>
    failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
      { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] },
    ),
  notAcceptable: () => failure(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml'),
  gone: (message: string) => failure(410, 'Expired', message),
  tooManyRequests: (retryAfterSeconds: number) => {
    const e = failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds });
    e.headers['Retry-After'] = String(retryAfterSeconds);
    return e;
  },
  internal: (message: string) => failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }),
  timeout: (message: string) => failure(504, 'Timeout', message),
};

export function successStatus(t: ResourceType, name: string, uid: string): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { ...details(t, name), uid }, code: 200 };
}
