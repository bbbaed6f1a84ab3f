package dev.dxreactor.benchmarks.teleport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.google.flatbuffers.FlatBufferBuilder;
import com.google.protobuf.CodedOutputStream;
import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.benchmarks.teleport.flatbuffers.FbItem;
import dev.dxreactor.benchmarks.teleport.flatbuffers.FbUser;
import dev.dxreactor.benchmarks.teleport.proto.PbItem;
import dev.dxreactor.benchmarks.teleport.proto.PbUser;
import dev.dxreactor.benchmarks.teleport.sbe.MessageHeaderDecoder;
import dev.dxreactor.benchmarks.teleport.sbe.MessageHeaderEncoder;
import dev.dxreactor.benchmarks.teleport.sbe.UserDecoder;
import dev.dxreactor.benchmarks.teleport.sbe.UserEncoder;
import dev.dxreactor.teleport.TeleportBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Teleport against SBE (Agrona), FlatBuffers, protobuf-java and Jackson (JSON): encoding one
 * {@link BenchUser} (ids, flags, two strings, a list of eight small structs), and decoding it and reading
 * every field.
 *
 * <p>Fairness rules, the same for every format:
 * <ul>
 *   <li>Same values: every format encodes the fields of {@link #sampleUser()}, and its read benchmark reads
 *       the bytes its own encoder wrote for it. Encoding starts from that record for every format (teleport
 *       and Jackson take it as it is; SBE, FlatBuffers and protobuf copy its fields into their own
 *       encoders), so each figure is the work of turning the application's value into bytes.
 *   <li>Each format's idiomatic fastest API, reusing whatever the format lets an application reuse: one
 *       {@link TeleportBuffer} and one view re-wrapped per message (teleport's writer hands over a new pooled
 *       {@code ByteBuf} per message, which the benchmark releases: its API has no other way); SBE's encoder
 *       and decoder flyweights over one reused buffer; one {@link FlatBufferBuilder}, cleared per message,
 *       and reused table and struct accessors; protobuf's {@link CodedOutputStream} writing into one reused
 *       array (what {@code toByteArray()} does, minus the new array) and {@code parseFrom(byte[])}; one
 *       Jackson {@link ObjectWriter} and {@link ObjectReader}.
 *   <li>Reading means every field, the two strings materialized as {@link String}s (a new one per read in
 *       every format; protobuf and Jackson decode them while parsing). The {@code ...ReadInPlace} variants
 *       of teleport and SBE read the two strings where they lie instead, through a reused flyweight and
 *       without a copy: teleport's {@code nameText()}, SBE's {@code wrapName} over a reused buffer.
 *   <li>Every output goes to the {@link Blackhole}: each field read, or the encoded message.
 *   <li>Before timing, every fork checks that each format reads back exactly the record's values, that each
 *       encoder writes the same bytes again (all five are deterministic), and that the zero-copy strings
 *       hold the right bytes.
 * </ul>
 *
 * <p>SBE is generated without access-order checks (a development aid against reading fields out of
 * order, which is a programming error rather than bad input) and runs with Agrona's bounds checks on, its
 * default: teleport validates every message it wraps, and Netty checks the bounds of every read of
 * teleport's {@code ByteBuf}. Agrona uses {@code jdk.internal.misc.Unsafe}, which JDK 25 opens only with
 * {@value #AGRONA_UNSAFE}; Netty on JDK 25 does not use {@code sun.misc.Unsafe} by default.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {TeleportCodecBenchmark.NATIVE_ACCESS, TeleportCodecBenchmark.NO_LEAK_DETECTION,
        TeleportCodecBenchmark.AGRONA_UNSAFE})
public class TeleportCodecBenchmark {

    /** The flag every test JVM of the build runs with (parent pom), so the same Netty code paths load. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Netty samples allocations for leak reports; teleport allocates a buffer per message, so it is off. */
    public static final String NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";
    /** Agrona's buffers need {@code jdk.internal.misc.Unsafe}; without this they fail to load on JDK 25. */
    public static final String AGRONA_UNSAFE = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    /** System property naming the file a fork writes {@link #recordFacts facts} to; unset, nothing is written. */
    public static final String FACTS_PROPERTY = "dx.bench.factsFile";

    /** Items in the sample user. */
    static final int ITEMS = 8;
    /** Room, with a margin, for the sample's encoding in each reused output buffer (SBE, FlatBuffers, protobuf). */
    private static final int OUTPUT_CAPACITY = 1024;
    /** Agrona allocates its direct buffers on cache lines. */
    private static final int CACHE_LINE = 64;

    private final BenchUser user = sampleUser();
    /** The message's two strings as UTF-8, for {@link #jdkStrings}. */
    private final byte[] nameUtf8 = user.name().getBytes(StandardCharsets.UTF_8);
    private final byte[] emailUtf8 = user.email().getBytes(StandardCharsets.UTF_8);

    private TeleportBuffer teleportOut;
    /** Where teleportEncode finishes each message: reused, as SBE's encoder reuses its buffer. */
    private ByteBuf teleportTarget;
    private ByteBuf teleportWire;
    private final BenchUserView teleportView = new BenchUserView();

    private final MessageHeaderEncoder sbeHeaderEncoder = new MessageHeaderEncoder();
    private final UserEncoder sbeEncoder = new UserEncoder();
    private final UnsafeBuffer sbeOut = new UnsafeBuffer(BufferUtil.allocateDirectAligned(OUTPUT_CAPACITY, CACHE_LINE));
    private final MessageHeaderDecoder sbeHeaderDecoder = new MessageHeaderDecoder();
    private final UserDecoder sbeDecoder = new UserDecoder();
    private final UnsafeBuffer sbeName = new UnsafeBuffer();
    private final UnsafeBuffer sbeEmail = new UnsafeBuffer();
    private UnsafeBuffer sbeWire;

    private final FlatBufferBuilder flatBuilder = new FlatBufferBuilder(OUTPUT_CAPACITY);
    private final FbUser flatUser = new FbUser();
    private final FbItem flatItem = new FbItem();
    private ByteBuffer flatWire;

    private final byte[] protobufOut = new byte[OUTPUT_CAPACITY];
    private byte[] protobufWire;

    private ObjectWriter jsonWriter;
    private ObjectReader jsonReader;
    private byte[] jsonWire;

    /**
     * The message every format carries: realistic magnitudes (a 43-bit id, SKUs beyond the int range, so
     * varints and JSON digits are not flattered), no field at its default value (FlatBuffers and protobuf would leave such a
     * field out), ASCII strings of 12 and 24 characters.
     */
    public static BenchUser sampleUser() {
        List<BenchItem> items = new ArrayList<>(ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            items.add(new BenchItem(4_000_000_000L + 7_919L * i, 1 + i, 1_999 + 250 * i, (short) (1 << i % 4)));
        }
        return new BenchUser(7_293_847_561_234L, 37, true, (short) 0x0105, "Ada Lovelace",
                "ada.lovelace@example.com", List.copyOf(items));
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ForkEnvironment.recordIfRequested();
        teleportOut = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);
        teleportTarget = ByteBufAllocator.DEFAULT.directBuffer(1024);
        ObjectMapper mapper = new ObjectMapper();
        jsonWriter = mapper.writerFor(BenchUser.class);
        jsonReader = mapper.readerFor(BenchUser.class);

        // What each read benchmark reads: its encoder's output in a buffer of its own, of the kind the format
        // reads from, as if it had just arrived (teleport's is the buffer finish() handed over).
        teleportWire = encodeTeleport();
        int sbeLength = encodeSbe();
        sbeWire = new UnsafeBuffer(BufferUtil.allocateDirectAligned(sbeLength, CACHE_LINE));
        sbeWire.putBytes(0, sbeOut, 0, sbeLength);
        ByteBuffer flat = encodeFlatBuffers();
        byte[] flatBytes = new byte[flat.remaining()];
        flat.get(flat.position(), flatBytes);
        flatWire = ByteBuffer.wrap(flatBytes);
        protobufWire = Arrays.copyOf(protobufOut, encodeProtobuf());
        jsonWire = encodeJackson();

        verify();
        recordFacts();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        teleportWire.release();
        teleportTarget.release();
        teleportOut.release();
    }

    // ---- encode ------------------------------------------------------------------------------------------

    /** The message finished into one reused buffer, the way SBE's encoder writes into its reused buffer. */
    @Benchmark
    public int teleportEncode() {
        BenchUserTeleport.write(teleportOut, user);
        teleportTarget.clear();
        return teleportOut.finishInto(teleportTarget);
    }

    /** The message handed over in a new pooled buffer (what a server passes to the channel), then released. */
    @Benchmark
    public void teleportEncodeNewBuffer(Blackhole bh) {
        ByteBuf wire = encodeTeleport();
        bh.consume(wire);
        wire.release();
    }

    @Benchmark
    public int sbeEncode() {
        return encodeSbe();
    }

    @Benchmark
    public ByteBuffer flatbuffersEncode() {
        return encodeFlatBuffers();
    }

    @Benchmark
    public int protobufEncode() throws IOException {
        return encodeProtobuf();
    }

    @Benchmark
    public byte[] jacksonEncode() throws IOException {
        return encodeJackson();
    }

    private ByteBuf encodeTeleport() {
        BenchUserTeleport.write(teleportOut, user);
        return teleportOut.finish();
    }

    /** The length of the message written at the start of {@link #sbeOut}, header included. */
    private int encodeSbe() {
        BenchUser u = user;
        UserEncoder encoder = sbeEncoder.wrapAndApplyHeader(sbeOut, 0, sbeHeaderEncoder)
                .id(u.id())
                .age(u.age())
                .active((short) (u.active() ? 1 : 0))
                .flags(u.flags());
        List<BenchItem> items = u.items();
        int count = items.size();
        UserEncoder.ItemsEncoder group = encoder.itemsCount(count);
        for (int i = 0; i < count; i++) {
            BenchItem item = items.get(i);
            group.next().sku(item.sku()).quantity(item.quantity()).priceCents(item.priceCents()).flags(item.flags());
        }
        encoder.name(u.name()).email(u.email());
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /** The finished message: the builder's buffer, positioned at its first byte. */
    private ByteBuffer encodeFlatBuffers() {
        BenchUser u = user;
        FlatBufferBuilder builder = flatBuilder;
        builder.clear();
        int name = builder.createString(u.name());
        int email = builder.createString(u.email());
        List<BenchItem> items = u.items();
        FbUser.startItemsVector(builder, items.size());
        // FlatBuffers builds back to front: the last element first.
        for (int i = items.size() - 1; i >= 0; i--) {
            BenchItem item = items.get(i);
            FbItem.createFbItem(builder, item.sku(), item.quantity(), item.priceCents(), item.flags());
        }
        int vector = builder.endVector();
        int root = FbUser.createFbUser(builder, u.id(), u.age(), u.active(), u.flags(), name, email, vector);
        FbUser.finishFbUserBuffer(builder, root);
        return builder.dataBuffer();
    }

    /** The length of the message written at the start of {@link #protobufOut}. */
    private int encodeProtobuf() throws IOException {
        BenchUser u = user;
        PbUser.Builder message = PbUser.newBuilder()
                .setId(u.id())
                .setAge(u.age())
                .setActive(u.active())
                .setFlags(u.flags())
                .setName(u.name())
                .setEmail(u.email());
        List<BenchItem> items = u.items();
        for (int i = 0, n = items.size(); i < n; i++) {
            BenchItem item = items.get(i);
            message.addItems(PbItem.newBuilder()
                    .setSku(item.sku())
                    .setQuantity(item.quantity())
                    .setPriceCents(item.priceCents())
                    .setFlags(item.flags())
                    .build());
        }
        CodedOutputStream out = CodedOutputStream.newInstance(protobufOut);
        message.build().writeTo(out);
        return out.getTotalBytesWritten();
    }

    private byte[] encodeJackson() throws IOException {
        return jsonWriter.writeValueAsBytes(user);
    }

    // ---- decode and read every field ---------------------------------------------------------------------

    @Benchmark
    public void teleportRead(Blackhole bh) {
        BenchUserView view = readTeleportFields(bh);
        bh.consume(view.name());
        bh.consume(view.email());
    }

    @Benchmark
    public void teleportReadInPlace(Blackhole bh) {
        BenchUserView view = readTeleportFields(bh);
        bh.consume(view.nameText());
        bh.consume(view.emailText());
    }

    /** Wraps (and so validates) the message and reads everything but the strings. */
    private BenchUserView readTeleportFields(Blackhole bh) {
        BenchUserView view = teleportView.rewrap(teleportWire, teleportWire.readerIndex());
        bh.consume(view.id());
        bh.consume(view.age());
        bh.consume(view.active());
        bh.consume(view.flags());
        BenchItemView.Slice items = view.items();
        for (int i = 0, n = items.size(); i < n; i++) {
            BenchItemView item = items.get(i);
            bh.consume(item.sku());
            bh.consume(item.quantity());
            bh.consume(item.priceCents());
            bh.consume(item.flags());
        }
        return view;
    }

    /**
     * The JDK making the message's two strings from byte arrays, and nothing else: what every read that hands
     * out {@code String}s pays at least, whatever the format.
     */
    @Benchmark
    public void jdkStrings(Blackhole bh) {
        bh.consume(new String(nameUtf8, StandardCharsets.UTF_8));
        bh.consume(new String(emailUtf8, StandardCharsets.UTF_8));
    }

    @Benchmark
    public void sbeRead(Blackhole bh) {
        UserDecoder decoder = readSbeFields(bh);
        bh.consume(decoder.name());
        bh.consume(decoder.email());
    }

    @Benchmark
    public void sbeReadInPlace(Blackhole bh) {
        UserDecoder decoder = readSbeFields(bh);
        decoder.wrapName(sbeName);
        bh.consume(sbeName);
        decoder.wrapEmail(sbeEmail);
        bh.consume(sbeEmail);
    }

    /**
     * Wraps the message (checking its template id) and reads the fixed fields and the group; SBE reads
     * variable-length fields last, in schema order.
     */
    private UserDecoder readSbeFields(Blackhole bh) {
        UserDecoder decoder = sbeDecoder.wrapAndApplyHeader(sbeWire, 0, sbeHeaderDecoder);
        bh.consume(decoder.id());
        bh.consume(decoder.age());
        bh.consume(decoder.active() != 0);
        bh.consume(decoder.flags());
        for (UserDecoder.ItemsDecoder item : decoder.items()) {
            bh.consume(item.sku());
            bh.consume(item.quantity());
            bh.consume(item.priceCents());
            bh.consume(item.flags());
        }
        return decoder;
    }

    @Benchmark
    public void flatbuffersRead(Blackhole bh) {
        FbUser root = FbUser.getRootAsFbUser(flatWire, flatUser);
        bh.consume(root.id());
        bh.consume(root.age());
        bh.consume(root.active());
        bh.consume(root.flags());
        for (int i = 0, n = root.itemsLength(); i < n; i++) {
            FbItem item = root.items(flatItem, i);
            bh.consume(item.sku());
            bh.consume(item.quantity());
            bh.consume(item.priceCents());
            bh.consume(item.flags());
        }
        bh.consume(root.name());
        bh.consume(root.email());
    }

    @Benchmark
    public void protobufRead(Blackhole bh) throws IOException {
        PbUser message = PbUser.parseFrom(protobufWire);
        bh.consume(message.getId());
        bh.consume(message.getAge());
        bh.consume(message.getActive());
        bh.consume(message.getFlags());
        for (int i = 0, n = message.getItemsCount(); i < n; i++) {
            PbItem item = message.getItems(i);
            bh.consume(item.getSku());
            bh.consume(item.getQuantity());
            bh.consume(item.getPriceCents());
            bh.consume(item.getFlags());
        }
        bh.consume(message.getName());
        bh.consume(message.getEmail());
    }

    @Benchmark
    public void jacksonRead(Blackhole bh) throws IOException {
        BenchUser value = jsonReader.readValue(jsonWire);
        bh.consume(value.id());
        bh.consume(value.age());
        bh.consume(value.active());
        bh.consume(value.flags());
        List<BenchItem> items = value.items();
        for (int i = 0, n = items.size(); i < n; i++) {
            BenchItem item = items.get(i);
            bh.consume(item.sku());
            bh.consume(item.quantity());
            bh.consume(item.priceCents());
            bh.consume(item.flags());
        }
        bh.consume(value.name());
        bh.consume(value.email());
    }

    // ---- checks before timing ----------------------------------------------------------------------------

    /**
     * Checks, before anything is timed, that every format reads back exactly the values it was given, through
     * the accessors the read benchmarks use, and that every encoder writes the same bytes again: a benchmark
     * that does not check its answers can be fast for the wrong reason.
     */
    private void verify() throws IOException {
        BenchUserView view = new BenchUserView().rewrap(teleportWire, teleportWire.readerIndex());
        List<BenchItem> teleportItems = new ArrayList<>();
        BenchItemView.Slice slice = view.items();
        for (int i = 0; i < slice.size(); i++) {
            BenchItemView item = slice.get(i);
            teleportItems.add(new BenchItem(item.sku(), item.quantity(), item.priceCents(), item.flags()));
        }
        check("teleport", new BenchUser(view.id(), view.age(), view.active(), view.flags(), view.name(),
                view.email(), teleportItems));
        checkInPlace("teleport", view.nameText().toString(), view.emailText().toString());
        checkInPlace("teleport's UTF-8 slices", view.nameUtf8().toString(StandardCharsets.UTF_8),
                view.emailUtf8().toString(StandardCharsets.UTF_8));
        ByteBuf again = encodeTeleport();
        try {
            checkSame("teleport", ByteBufUtil.getBytes(teleportWire), ByteBufUtil.getBytes(again));
        } finally {
            again.release();
        }
        teleportEncode();
        checkSame("teleport into a reused buffer", ByteBufUtil.getBytes(teleportWire),
                ByteBufUtil.getBytes(teleportTarget));

        UserDecoder decoder = new UserDecoder().wrapAndApplyHeader(sbeWire, 0, new MessageHeaderDecoder());
        long id = decoder.id();
        int age = decoder.age();
        boolean active = decoder.active() != 0;
        short flags = decoder.flags();
        List<BenchItem> sbeItems = new ArrayList<>();
        for (UserDecoder.ItemsDecoder item : decoder.items()) {
            sbeItems.add(new BenchItem(item.sku(), item.quantity(), item.priceCents(), item.flags()));
        }
        check("SBE", new BenchUser(id, age, active, flags, decoder.name(), decoder.email(), sbeItems));
        // SBE reaches the strings only past the group, so the in-place strings need a second pass.
        decoder.sbeRewind();
        UserDecoder.ItemsDecoder skipped = decoder.items();
        while (skipped.hasNext()) {
            skipped.next();
        }
        decoder.wrapName(sbeName);
        decoder.wrapEmail(sbeEmail);
        checkInPlace("SBE", sbeName.getStringWithoutLengthUtf8(0, sbeName.capacity()),
                sbeEmail.getStringWithoutLengthUtf8(0, sbeEmail.capacity()));
        checkSame("SBE", bytes(sbeWire, sbeWire.capacity()), bytes(sbeOut, encodeSbe()));

        FbUser root = FbUser.getRootAsFbUser(flatWire, new FbUser());
        List<BenchItem> flatItems = new ArrayList<>();
        for (int i = 0; i < root.itemsLength(); i++) {
            FbItem item = root.items(new FbItem(), i);
            flatItems.add(new BenchItem(item.sku(), item.quantity(), item.priceCents(), item.flags()));
        }
        check("FlatBuffers", new BenchUser(root.id(), root.age(), root.active(), root.flags(), root.name(),
                root.email(), flatItems));
        ByteBuffer flatAgain = encodeFlatBuffers();
        checkSame("FlatBuffers", flatWire.array(), Arrays.copyOfRange(flatAgain.array(), flatAgain.position(),
                flatAgain.limit()));

        PbUser message = PbUser.parseFrom(protobufWire);
        List<BenchItem> protobufItems = new ArrayList<>();
        for (PbItem item : message.getItemsList()) {
            protobufItems.add(new BenchItem(item.getSku(), item.getQuantity(), item.getPriceCents(),
                    narrow("protobuf item flags", item.getFlags())));
        }
        check("protobuf", new BenchUser(message.getId(), message.getAge(), message.getActive(),
                narrow("protobuf flags", message.getFlags()), message.getName(), message.getEmail(), protobufItems));
        checkSame("protobuf", protobufWire, Arrays.copyOf(protobufOut, encodeProtobuf()));
        checkSame("protobuf's own toByteArray()", protobufWire, message.toByteArray());

        check("Jackson", jsonReader.readValue(jsonWire));
        checkSame("Jackson", jsonWire, encodeJackson());
    }

    private void check(String format, BenchUser read) {
        if (!user.equals(read)) {
            throw new IllegalStateException(format + " read back " + read + " instead of " + user);
        }
    }

    private void checkInPlace(String format, String name, String email) {
        if (!user.name().equals(name) || !user.email().equals(email)) {
            throw new IllegalStateException(format + "'s strings in place hold \"" + name + "\" and \"" + email
                    + "\" instead of \"" + user.name() + "\" and \"" + user.email() + "\"");
        }
    }

    private static void checkSame(String format, byte[] first, byte[] again) {
        if (!Arrays.equals(first, again)) {
            throw new IllegalStateException(format + " encoded the same value into different bytes");
        }
    }

    private static short narrow(String field, int value) {
        if (value != (short) value) {
            throw new IllegalStateException(field + " " + value + " does not fit a short");
        }
        return (short) value;
    }

    private static byte[] bytes(DirectBuffer buffer, int length) {
        byte[] out = new byte[length];
        buffer.getBytes(0, out);
        return out;
    }

    /**
     * Encoded sizes and the buffer and bounds-check settings this fork really ran with, for the report: only a
     * fork has Agrona usable (the report's own JVM lacks {@value #AGRONA_UNSAFE}) and sees Netty's choices.
     */
    private void recordFacts() {
        String file = System.getProperty(FACTS_PROPERTY);
        if (file == null || file.isEmpty()) {
            return;
        }
        Properties p = new Properties();
        p.setProperty("bytes.teleport", String.valueOf(teleportWire.readableBytes()));
        p.setProperty("bytes.sbe", String.valueOf(sbeWire.capacity()));
        p.setProperty("bytes.flatbuffers", String.valueOf(flatWire.remaining()));
        p.setProperty("bytes.protobuf", String.valueOf(protobufWire.length));
        p.setProperty("bytes.jackson", String.valueOf(jsonWire.length));
        p.setProperty("json", new String(jsonWire, StandardCharsets.UTF_8));
        p.setProperty("teleport.buffer", teleportWire.getClass().getName()
                + (teleportWire.isDirect() ? ", direct" : ", heap"));
        p.setProperty("netty.checkBounds", System.getProperty("io.netty.buffer.checkBounds", "true"));
        p.setProperty("netty.checkAccessible", System.getProperty("io.netty.buffer.checkAccessible", "true"));
        p.setProperty("agrona.boundsChecks", String.valueOf(DirectBuffer.SHOULD_BOUNDS_CHECK));
        try (Writer w = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
            p.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
