package dev.dxreactor.fileio;

/** The contract on {@code FileChannel} over virtual threads. */
class FallbackFilesTest extends PlatformFilesContract {

    @Override
    PlatformFiles open(FileIoConfig config) {
        return PlatformFiles.fallback(config);
    }

    @Override
    String expectedBackend() {
        return "fallback";
    }
}
