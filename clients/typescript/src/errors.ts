import {Metadata} from './wire.js';

/** What kind of failure, and whether trying again can succeed: as the Java client's categories. */
export type HbtpErrorCategory =
  'NETWORK' | 'TIMEOUT' | 'PROTOCOL' | 'SECURITY' | 'RESOURCE' | 'APPLICATION' | 'UNAVAILABLE';

const RETRYABLE: ReadonlySet<HbtpErrorCategory> = new Set(['NETWORK', 'TIMEOUT', 'RESOURCE', 'UNAVAILABLE']);

/** Every failure of a call or a connection, besides an abort (which rejects with the signal's reason). */
export class HbtpError extends Error {
  constructor(readonly category: HbtpErrorCategory, message: string, readonly closeCode?: number) {
    super(message);
    this.name = 'HbtpError';
  }

  /** Whether trying again can succeed (not whether the call is safe to repeat). */
  get retryable(): boolean {
    return RETRYABLE.has(this.category);
  }

  /** The category of an HBTP close code. */
  static ofCloseCode(code: number, message: string): HbtpError {
    const category: HbtpErrorCategory = code === 1001 ? 'UNAVAILABLE'
      : code === 1002 || code === 1003 ? 'PROTOCOL'
        : code === 1008 ? 'SECURITY'
          : code === 1009 ? 'RESOURCE'
            : 'NETWORK';
    return new HbtpError(category, message, code);
  }
}

export const Status = {
  UNKNOWN_ROUTE: 1,
  BAD_REQUEST: 2,
  UNAUTHENTICATED: 3,
  PERMISSION_DENIED: 4,
  RESOURCE_EXHAUSTED: 5,
  DEADLINE_EXCEEDED: 6,
  CANCELLED: 7,
  INTERNAL: 8,
  UNAVAILABLE: 9,
  NOT_MODIFIED: 10,
} as const;

const STATUS_NAMES = new Map<number, string>(Object.entries(Status).map(([name, code]) => [code, name]));

function categoryOf(status: number): HbtpErrorCategory {
  switch (status) {
    case Status.DEADLINE_EXCEEDED:
      return 'TIMEOUT';
    case Status.UNAUTHENTICATED:
    case Status.PERMISSION_DENIED:
      return 'SECURITY';
    case Status.RESOURCE_EXHAUSTED:
      return 'RESOURCE';
    case Status.UNAVAILABLE:
      return 'UNAVAILABLE';
    default:
      return 'APPLICATION';
  }
}

/** RPC_ERROR from the server: its status, message and response metadata. */
export class HbtpRpcError extends HbtpError {
  constructor(readonly status: number, message: string, readonly metadata: Metadata) {
    super(categoryOf(status), message);
    this.name = 'HbtpRpcError';
  }

  /** The status's name ({@code BAD_REQUEST}, ...), or {@code OTHER}. */
  get statusName(): string {
    return STATUS_NAMES.get(this.status) ?? 'OTHER';
  }
}
