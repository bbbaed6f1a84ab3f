package dev.dxreactor.hbtp;

import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;

/**
 * A zstd dictionary both ends of a connection are configured with ({@code zstdDictionary} of
 * {@link HbtpServerConfig.Builder} and {@link HbtpClientConfig.Builder}). A dictionary trained on typical
 * messages ({@code zstd --train}) lets messages of a few hundred bytes compress well; raw content works too.
 *
 * <p>HELLO does not carry a dictionary id, so agreeing on the dictionary is configuration. Frames compressed
 * with a dictionary carry a checksum: a peer with another dictionary fails the check and the connection
 * closes with 1009 instead of passing on wrong bytes. Digested once and shared by all connections.
 */
public final class HbtpZstdDictionary {

    private final int size;
    private final ZstdDictCompress compress;
    private final ZstdDictDecompress decompress;

    private HbtpZstdDictionary(byte[] dictionary) {
        this.size = dictionary.length;
        this.compress = new ZstdDictCompress(dictionary, HbtpCompression.DEFAULT_LEVEL);
        this.decompress = new ZstdDictDecompress(dictionary);
    }

    /**
     * @param dictionary a trained dictionary or raw content, at least 8 bytes (copied by zstd)
     * @throws IllegalArgumentException when {@code dictionary} is shorter than 8 bytes
     */
    public static HbtpZstdDictionary of(byte[] dictionary) {
        if (dictionary == null || dictionary.length < 8) {
            throw new IllegalArgumentException("a zstd dictionary needs at least 8 bytes, got "
                    + (dictionary == null ? "none" : dictionary.length));
        }
        return new HbtpZstdDictionary(dictionary);
    }

    /** Bytes of the dictionary as given. */
    public int size() {
        return size;
    }

    ZstdDictCompress forCompression() {
        return compress;
    }

    ZstdDictDecompress forDecompression() {
        return decompress;
    }

    @Override
    public String toString() {
        return "HbtpZstdDictionary[" + size + " bytes]";
    }
}
