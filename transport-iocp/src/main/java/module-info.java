/**
 * The Windows kernel surface of dx-reactor's IOCP and AFD_POLL transports: {@link
 * dev.dxreactor.transport.iocp.WindowsKernel}, real (FFM bindings) or emulated over Linux sockets.
 */
module dev.dxreactor.transport.iocp {
    exports dev.dxreactor.transport.iocp;
}
