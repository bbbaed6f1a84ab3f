package dev.dxreactor.examples.showcase.messages;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The JSON of the HTTP API, written and read with Jackson's streaming API straight into and out of Netty buffers:
 * no tree, no reflection, no intermediate {@code String}.
 *
 * <pre>
 * {"id":42,"category":"garden","name":"Golden Mug #42","priceCents":1299,"stock":7,"updatedAt":"2026-...Z"}
 * </pre>
 */
public final class ItemJson {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    private ItemJson() {
    }

    /** Appends {@code item} as one JSON object. */
    public static void write(Item item, ByteBuf out) {
        try (JsonGenerator json = JSON.createGenerator((OutputStream) new ByteBufOutputStream(out))) {
            write(item, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends {@code {"item":{...},"topic":n,"topicSeq":n}}, the answer of a price change. */
    public static void write(PriceChanged changed, ByteBuf out) {
        try (JsonGenerator json = JSON.createGenerator((OutputStream) new ByteBufOutputStream(out))) {
            json.writeStartObject();
            json.writeFieldName("item");
            write(changed.item(), json);
            json.writeNumberField("topic", changed.topic());
            json.writeNumberField("topicSeq", changed.topicSeq());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Item item, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("id", item.id());
        json.writeStringField("category", item.category());
        json.writeStringField("name", item.name());
        json.writeNumberField("priceCents", item.priceCents());
        json.writeNumberField("stock", item.stock());
        json.writeStringField("updatedAt", Instant.EPOCH.plus(item.updatedAtMicros(), ChronoUnit.MICROS).toString());
        json.writeEndObject();
    }

    /** A JSON object of its own, for messages such as errors: {@code {"error":"..."}}. */
    public static void writeError(String message, ByteBuf out) {
        try (JsonGenerator json = JSON.createGenerator((OutputStream) new ByteBufOutputStream(out))) {
            json.writeStartObject();
            json.writeStringField("error", message);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the body of {@code POST /api/items/{id}/price}: {@code {"priceCents": 1299, "stock": 7}}, both
     * required, whole numbers, not negative; other fields are refused too, so a typo is not silently ignored.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static PriceChange readPriceChange(long id, ByteBuf body) {
        Long price = null;
        Integer stock = null;
        try (JsonParser json = JSON.createParser((java.io.InputStream) new ByteBufInputStream(body.duplicate()))) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the body must be a JSON object such as {\"priceCents\":1299,\"stock\":7}");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "priceCents" -> price = wholeNumber(json, value, field, Long.MAX_VALUE);
                    case "stock" -> stock = (int) wholeNumber(json, value, field, Integer.MAX_VALUE);
                    default -> throw new IllegalArgumentException("unknown field '" + field
                            + "'; the fields are priceCents and stock");
                }
            }
            if (json.currentToken() != JsonToken.END_OBJECT || json.nextToken() != null) {
                throw new IllegalArgumentException("the body must be one JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (price == null || stock == null) {
            throw new IllegalArgumentException("priceCents and stock are both required");
        }
        return new PriceChange(id, price, stock);
    }

    private static long wholeNumber(JsonParser json, JsonToken value, String field, long max) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new IllegalArgumentException(field + " must be a whole number");
        }
        long v = json.getLongValue();
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(field + " must be between 0 and " + max + ", got " + v);
        }
        return v;
    }
}
