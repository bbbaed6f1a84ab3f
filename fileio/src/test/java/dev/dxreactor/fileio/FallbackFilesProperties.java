package dev.dxreactor.fileio;

/** The properties on {@code FileChannel} over virtual threads. */
class FallbackFilesProperties extends PlatformFilesProperties {

    @Override
    PlatformFiles open(FileIoConfig config) {
        return PlatformFiles.fallback(config);
    }
}
