package dev.dxreactor.teleport;

/**
 * The 16 bytes in front of every message, little-endian like the rest:
 * <pre>
 * offset size field
 * 0      2    blockLength        bytes of the root block the writer's version has (unpadded)
 * 2      2    templateId         which type this message is, within its schema
 * 4      2    schemaId
 * 6      2    version            the writer's version of the type
 * 8      4    stringTableOffset  where the string table starts, from the message start
 * 12     4    messageLength      header, block, slices and string table
 * 16          root block, then slices, then the string table
 * </pre>
 * The first four fields are SBE's message header; the last two let a reader check every reference against
 * the message without scanning it.
 */
public final class TeleportHeader {

    public static final int SIZE = 16;
    public static final int BLOCK_LENGTH_OFFSET = 0;
    public static final int TEMPLATE_ID_OFFSET = 2;
    public static final int SCHEMA_ID_OFFSET = 4;
    public static final int VERSION_OFFSET = 6;
    public static final int STRING_TABLE_OFFSET = 8;
    public static final int MESSAGE_LENGTH_OFFSET = 12;

    private TeleportHeader() {
    }
}
