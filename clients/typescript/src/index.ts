export {HbtpClient, HbtpResponse, Subscription} from './client.js';
export type {CallOptions, HbtpClientOptions, ReconnectOptions, TopicListener} from './client.js';
export type {WebSocketFactory, WebSocketLike} from './connection.js';
export {HbtpError, HbtpRpcError, Status} from './errors.js';
export type {HbtpErrorCategory} from './errors.js';
export {Capability, CloseCode, Metadata, Opcode} from './wire.js';
export type {MetadataInit} from './wire.js';
