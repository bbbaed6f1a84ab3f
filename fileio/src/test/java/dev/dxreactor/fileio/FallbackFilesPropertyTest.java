package dev.dxreactor.fileio;

/** The properties on {@code FileChannel} over virtual threads. */
class FallbackFilesPropertyTest extends PlatformFilesPropertyContract {

    @Override
    PlatformFiles open(FileIoConfig config) {
        return PlatformFiles.fallback(config);
    }
}
