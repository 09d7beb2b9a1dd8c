/**
 * What the fault proxy must know of the AWS wire protocols the collectors speak: which operation a
 * request is, and how each protocol words an error answer.
 *
 * - awsJson 1.0 / 1.1 (SageMaker, Network Firewall): the operation is the `X-Amz-Target` header
 *   (`SageMaker.ListDomains`); an error is `{"__type": code, "message": ...}` with the
 *   `x-amzn-ErrorType` header.
 * - ec2Query (EC2) and awsQuery (STS): the operation is `Action=` of the form body (or the query
 *   string); EC2 words an error as `<Response><Errors><Error>`, awsQuery as `<ErrorResponse><Error>`.
 *
 * The service is the signing name of the SigV4 credential scope (`.../us-east-1/ec2/aws4_request`).
 */

export const FAULT_KINDS = ['access-denied', 'throttling', 'http-500', 'truncated-200', 'hang'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type Protocol = 'json' | 'ec2' | 'query';

export interface Operation {
  /** SigV4 signing name: ec2, sagemaker, network-firewall, sts. */
  service: string;
  /** The API operation, as the coverage gaps name it. */
  operation: string;
  region: string;
  protocol: Protocol;
}

/** `service:Operation`, the key of a matrix row. */
export function operationKey(op: Pick<Operation, 'service' | 'operation'>): string {
  return `${op.service}:${op.operation}`;
}

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The operation a request is, or undefined for a request that names none (not an API call). */
export function identify(url: string, headers: Headers, body: string): Operation | undefined {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
    header(headers, 'authorization') ?? '',
  );
  const region = scope?.[1] ?? 'unknown';
  const service = scope?.[2] ?? 'unknown';
  const target = header(headers, 'x-amz-target');
  if (target) {
    const operation = target.slice(target.lastIndexOf('.') + 1);
    return operation ? { service, operation, region, protocol: 'json' } : undefined;
  }
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const action = new URLSearchParams(body).get('Action') ?? new URLSearchParams(query).get('Action');
  if (!action) return undefined;
  return { service, operation: action, region, protocol: service === 'ec2' ? 'ec2' : 'query' };
}

export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const REQUEST_ID = '11111111-2222-3333-4444-555555555555';

/** An AWS error answer in the protocol's own shape. */
export function errorAnswer(protocol: Protocol, status: number, code: string, message: string): ErrorAnswer {
  if (protocol === 'json') {
    return {
      status,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': code,
        'x-amzn-requestid': REQUEST_ID,
      },
      body: JSON.stringify({ __type: code, message }),
    };
  }
  if (protocol === 'ec2') {
    return {
      status,
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${REQUEST_ID}</RequestID></Response>`,
    };
  }
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': REQUEST_ID },
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${REQUEST_ID}</RequestId></ErrorResponse>`,
  };
}

/** The error answer of a fault kind that answers with an error (all but truncation and hang). */
export function faultAnswer(kind: FaultKind, op: Operation): ErrorAnswer | undefined {
  switch (kind) {
    case 'access-denied':
      return op.protocol === 'ec2'
        ? errorAnswer(
            'ec2',
            403,
            'UnauthorizedOperation',
            'You are not authorized to perform this operation.',
          )
        : op.protocol === 'json'
          ? errorAnswer(
              'json',
              403,
              'AccessDeniedException',
              `User is not authorized to perform: ${op.service}:${op.operation}`,
            )
          : errorAnswer(
              'query',
              403,
              'AccessDenied',
              `User is not authorized to perform: ${op.service}:${op.operation}`,
            );
    case 'throttling':
      return op.protocol === 'ec2'
        ? errorAnswer('ec2', 503, 'RequestLimitExceeded', 'Request limit exceeded.')
        : op.protocol === 'json'
          ? errorAnswer('json', 400, 'ThrottlingException', 'Rate exceeded')
          : errorAnswer('query', 400, 'Throttling', 'Rate exceeded');
    case 'http-500':
      return op.protocol === 'ec2'
        ? errorAnswer('ec2', 500, 'InternalError', 'An internal error has occurred')
        : op.protocol === 'json'
          ? errorAnswer('json', 500, 'InternalFailure', 'We encountered an internal error. Please try again.')
          : errorAnswer(
              'query',
              500,
              'InternalFailure',
              'We encountered an internal error. Please try again.',
            );
    default:
      return undefined;
  }
}

/** A 200 whose body is cut: the first half of what the service answered (at least one byte less). */
export function truncate(body: Buffer): Buffer {
  return body.subarray(0, Math.max(0, Math.min(body.length - 1, Math.floor(body.length / 2))));
}
