// Reads every golden message (written by the Java writer) with the generated TypeScript views, compares each
// field with values.json, writes the values again with the generated writers and compares the bytes, and
// checks that damaged messages are refused with the TeleportFormatError the Java view throws for them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { TeleportFormatError } from "../generated/teleport.js";
import { AddressTeleport, AddressView } from "../generated/dev/dxreactor/teleport/example/Address.js";
import { ContactTeleport, ContactView } from "../generated/dev/dxreactor/teleport/example/Contact.js";
import { GeoPointTeleport, GeoPointView } from "../generated/dev/dxreactor/teleport/example/GeoPoint.js";
import { ProfileV1Teleport, ProfileV1View } from "../generated/dev/dxreactor/teleport/example/ProfileV1.js";
import { ProfileV2Teleport, ProfileV2View } from "../generated/dev/dxreactor/teleport/example/ProfileV2.js";
import { UserTeleport, UserView } from "../generated/dev/dxreactor/teleport/example/User.js";

const golden = new URL("../../golden/", import.meta.url);
const values: Record<string, { type: string; value: unknown }> =
    JSON.parse(readFileSync(new URL("values.json", golden), "utf8"));

interface Codec {
  wrap(bytes: Uint8Array, offset?: number, options?: { validateUtf8?: boolean }): { toObject(): unknown };
  write(value: never): Uint8Array;
}

const codecs: Record<string, Codec> = {
  User: { wrap: UserView.wrap, write: UserTeleport.write },
  Address: { wrap: AddressView.wrap, write: AddressTeleport.write },
  Contact: { wrap: ContactView.wrap, write: ContactTeleport.write },
  GeoPoint: { wrap: GeoPointView.wrap, write: GeoPointTeleport.write },
  ProfileV1: { wrap: ProfileV1View.wrap, write: ProfileV1Teleport.write },
  ProfileV2: { wrap: ProfileV2View.wrap, write: ProfileV2Teleport.write },
};

function load(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`${name}.bin`, golden)));
}

/** A value read by a view in the JSON form of values.json (see CrossLanguageGoldenTest). */
function json(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value.toString();
  }
  if (typeof value === "number") {
    if (Number.isNaN(value)) {
      return "NaN";
    }
    if (!Number.isFinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    return Object.is(value, -0) ? "-0" : value;
  }
  if (value instanceof Uint8Array) {
    // byte[] holds Java's signed bytes.
    return Array.from(new Int8Array(value.buffer, value.byteOffset, value.length));
  }
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    return Array.from(value as ArrayLike<unknown>, json);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, json(v)]));
  }
  return value;
}

for (const [name, { type, value }] of Object.entries(values)) {
  const codec = codecs[type];

  test(`${name}: every field reads as written by Java`, () => {
    assert.deepEqual(json(codec.wrap(load(name)).toObject()), value);
  });

  test(`${name}: the TypeScript writer writes the golden bytes`, () => {
    const read = codec.wrap(load(name)).toObject();
    assert.deepEqual(Buffer.from(codec.write(read as never)).toString("hex"), Buffer.from(load(name)).toString("hex"));
  });

  test(`${name}: a message at an offset of a larger array, itself a part of a buffer, reads the same`, () => {
    const message = load(name);
    const bytes = new Uint8Array(message.length + 13);
    bytes.set(message, 5);
    assert.deepEqual(json(codec.wrap(bytes.subarray(3), 2).toObject()), value);
  });

  test(`${name}: every truncation is refused`, () => {
    const message = load(name);
    for (let length = 0; length < message.length; length++) {
      assert.throws(() => codec.wrap(message.subarray(0, length)), TeleportFormatError, `length ${length}`);
    }
  });
}

test("accessors: getters, lists, arrays, UTF-8 bytes", () => {
  const user = UserView.wrap(load("user"));
  assert.equal(user.id(), 0x0102030405060708n);
  assert.equal(user.name(), "Ada 🚀 Lovelace");
  assert.equal(new TextDecoder().decode(user.nameUtf8() ?? undefined), "Ada 🚀 Lovelace");
  assert.equal(user.email(), null);
  assert.equal(user.emailUtf8(), null);
  assert.equal(user.addresses().size, 2);
  assert.equal(user.addresses().get(1).street(), "Grüner Weg");
  assert.deepEqual([...user.addresses()].map((a) => a.number()), [12, 7]);
  assert.throws(() => user.addresses().get(2), RangeError);
  assert.equal(user.home().zip(), null);
  assert.equal(user.role(), "WRITER");
  assert.equal(user.initial(), "é");
  assert.equal(user.sessionsLength(), 3);
  assert.equal(user.sessions(2), 0x7fffffffffffffffn);
  assert.throws(() => user.sessions(3), RangeError);
  assert.throws(() => user.friends(-1), RangeError);
  assert.equal(user.code(2), "€");
  assert.deepEqual([...user.avatar()], [0xca, 0xfe, 0, 127]);
  assert.equal(user.messageVersion(), 1);
});

test("schema evolution: a version-1 message reads as version 2 with everything appended absent", () => {
  const profile = ProfileV2View.wrap(load("profile-v1"));
  assert.equal(profile.hasKarma(), false);
  assert.equal(profile.messageVersion(), 1);
  assert.deepEqual(json(profile.toObject()), {
    ...(values["profile-v1"].value as object),
    karma: 0, bio: null, favourites: [], role: null, home: null, emergency: null, location: null, avatar: [],
    scores: [],
  });
  assert.equal(profile.scoresLength(), 0);
  assert.equal(profile.favourites().size, 0);
  // A version-2 message read by the version-1 view: the appended components are skipped.
  assert.deepEqual(json(ProfileV1View.wrap(load("profile-v2")).toObject()), {
    id: "43", nick: "grace", places: [],
  });
});

test("a lone surrogate is written as '?', as Java writes it", () => {
  const address = { street: "a\uD800b", zip: "\uDC00", number: 1, floor: 2 };
  const read = AddressView.wrap(AddressTeleport.write(address));
  assert.equal(read.street(), "a?b");
  assert.equal(read.zip(), "?");
});

test("the writer refuses what has no null form", () => {
  const user = UserView.wrap(load("user")).toObject();
  assert.throws(() => UserTeleport.write({ ...user, role: null as never }), /User\.role is null/);
  assert.throws(() => UserTeleport.write({ ...user, role: "OWNER" as never }), /User\.role: "OWNER" is not one of/);
  assert.throws(() => UserTeleport.write({ ...user, home: null as never }), /User\.home is null/);
  assert.throws(() => UserTeleport.write({ ...user, addresses: [null as never] }), /User\.addresses has a null element/);
});

// ---- hostile messages ------------------------------------------------------------------------------------

// Damaged variants of the golden messages, made by CrossLanguageGoldenTest, with the message the Java view
// refuses each with: the TypeScript view must refuse them with the same one.
const hostile: Record<string, { type: string; validateUtf8: boolean; error: string }> =
    JSON.parse(readFileSync(new URL("hostile.json", golden), "utf8"));

for (const [name, { type, validateUtf8, error }] of Object.entries(hostile)) {
  test(`hostile ${name}: refused as the Java view refuses it`, () => {
    const message = load(`hostile/${name}`);
    assert.throws(() => codecs[type].wrap(message, 0, { validateUtf8 }), (e: unknown) => {
      assert.ok(e instanceof TeleportFormatError, `expected a TeleportFormatError, got ${String(e)}`);
      assert.equal(e.message, error);
      return true;
    });
  });
}

test("hostile: the offset is checked", () => {
  const user = load("user");
  for (const offset of [-1, 0.5, user.length - 15, user.length, user.length + 1]) {
    assert.throws(() => UserView.wrap(user, offset), TeleportFormatError, `offset ${offset}`);
  }
});

test("malformed UTF-8 decodes as U+FFFD when it is not validated", () => {
  assert.equal(AddressView.wrap(load("hostile/malformed-utf8")).street(), "Gr\uFFFDAner Weg");
});

test("hostile: random damage is refused or reads completely", () => {
  let seed = 7;
  const random = (bound: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % bound;
  };
  for (const name of ["user", "profile-v2"]) {
    const message = load(name);
    const codec = codecs[values[name].type];
    for (let round = 0; round < 2000; round++) {
      const damaged = new Uint8Array(message);
      for (let n = 0; n <= random(3); n++) {
        damaged[random(damaged.length)] = random(256);
      }
      try {
        json(codec.wrap(damaged).toObject());
      } catch (e) {
        assert.ok(e instanceof TeleportFormatError, `${name} round ${round}: ${String(e)}`);
      }
    }
  }
});
