/**
 * dx-fileio: file I/O on Netty's io_uring ring or on virtual threads ({@link dev.dxreactor.fileio.PlatformFiles}),
 * a debounced watcher over a directory tree ({@link dev.dxreactor.fileio.FileWatcher}) and a content-addressed
 * store with SHA-256 integrity ({@link dev.dxreactor.fileio.BlobStore}).
 */
module dev.dxreactor.fileio {
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires transitive dev.dxreactor.reactor;
    requires org.slf4j;
    requires directory.watcher;

    requires static io.netty.transport.classes.io_uring;
    requires static io.netty.transport.unix.common;
    requires static dev.dxreactor.transport.iocp;

    exports dev.dxreactor.fileio;
}
