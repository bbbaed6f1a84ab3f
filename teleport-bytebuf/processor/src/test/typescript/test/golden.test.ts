// Reads every golden message (written by the Java writer) with the generated TypeScript views, compares each
// field with values.json, writes the values again with the generated writers and compares the bytes, and
// checks that damaged messages are refused with a TeleportFormatError naming what is wrong.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { TeleportFormatError } from "../generated/teleport.js";
import { AddressTeleport, AddressView } from "../generated/dev/dxreactor/teleport/example/Address.js";
import { ContactTeleport, ContactView } from "../generated/dev/dxreactor/teleport/example/Contact.js";
import { GeoPointTeleport, GeoPointView } from "../generated/dev/dxreactor/teleport/example/GeoPoint.js";
import { ProfileV1Teleport, ProfileV1View } from "../generated/dev/dxreactor/teleport/example/ProfileV1.js";
import {
  ProfileV2Layout, ProfileV2Teleport, ProfileV2View,
} from "../generated/dev/dxreactor/teleport/example/ProfileV2.js";
import { UserLayout, UserTeleport, UserView } from "../generated/dev/dxreactor/teleport/example/User.js";

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

function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

function throwsFormatError(read: () => unknown, message: RegExp): void {
  assert.throws(read, (e: unknown) => {
    assert.ok(e instanceof TeleportFormatError, `expected a TeleportFormatError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
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

function setU32(bytes: Uint8Array, at: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.length).setUint32(at, value, true);
}

function getU32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(at, true);
}

const BLOCK = 16;

test("hostile: header", () => {
  const user = load("user");
  const longer = copy(user);
  setU32(longer, 12, user.length + 1);
  throwsFormatError(() => UserView.wrap(longer), /message length \d+ but \d+ bytes are present/);
  const otherTemplate = copy(user);
  otherTemplate[2] = 9;
  throwsFormatError(() => UserView.wrap(otherTemplate), /template 9; expected schema 1, template 1/);
  const shortBlock = copy(user);
  shortBlock[0] = 8;
  shortBlock[1] = 0;
  throwsFormatError(() => UserView.wrap(shortBlock), /block length 8 outside 152/);
  const tableOutside = copy(user);
  setU32(tableOutside, 8, user.length + 1);
  throwsFormatError(() => UserView.wrap(tableOutside), /string table offset/);
  const tableInBlock = copy(user);
  setU32(tableInBlock, 8, 20);
  throwsFormatError(() => UserView.wrap(tableInBlock), /string table offset 20 outside/);
  throwsFormatError(() => UserView.wrap(user, -1), /header/);
  throwsFormatError(() => UserView.wrap(user, user.length - 3), /header/);
});

test("hostile: string references", () => {
  const user = load("user");
  const tableLength = user.length - getU32(user, 8);
  const pastTable = copy(user);
  setU32(pastTable, BLOCK + UserLayout.NAME_OFFSET, tableLength);
  throwsFormatError(() => UserView.wrap(pastTable), /User\.name: string of \d+ bytes at \d+ outside the string table/);
  const tooLong = copy(user);
  setU32(tooLong, BLOCK + UserLayout.NAME_OFFSET + 4, tableLength + 1);
  throwsFormatError(() => UserView.wrap(tooLong), /User\.name: string/);
  const wrapped = copy(user);
  setU32(wrapped, BLOCK + UserLayout.NAME_OFFSET, 0xfffffff0);
  throwsFormatError(() => UserView.wrap(wrapped), /User\.name: string/);
  // A nested struct's string, in a list element: named by the nested type.
  const nested = copy(user);
  const listAt = getU32(user, BLOCK + UserLayout.ADDRESSES_OFFSET);
  setU32(nested, listAt + 4, tableLength);
  throwsFormatError(() => UserView.wrap(nested), /Address\.street: string/);
});

test("hostile: slice references", () => {
  const user = load("user");
  const tableAt = getU32(user, 8);
  const pastTable = copy(user);
  setU32(pastTable, BLOCK + UserLayout.FRIENDS_OFFSET + 4, 1000);
  throwsFormatError(() => UserView.wrap(pastTable), /User\.friends: slice of 1000 x 4 bytes .* outside the slice area/);
  const misaligned = copy(user);
  setU32(misaligned, BLOCK + UserLayout.FRIENDS_OFFSET, getU32(user, BLOCK + UserLayout.FRIENDS_OFFSET) + 2);
  throwsFormatError(() => UserView.wrap(misaligned), /User\.friends: slice/);
  const inBlock = copy(user);
  setU32(inBlock, BLOCK + UserLayout.AVATAR_OFFSET, BLOCK);
  throwsFormatError(() => UserView.wrap(inBlock), /User\.avatar: slice/);
  const huge = copy(user);
  setU32(huge, BLOCK + UserLayout.HISTORY_OFFSET + 4, 0xffffffff);
  throwsFormatError(() => UserView.wrap(huge), /User\.history: slice/);
  // The byte slice covers the whole slice area, in bounds on its own, overlapping every other slice.
  const overlapping = copy(user);
  const area = BLOCK + UserLayout.BLOCK_LENGTH;
  setU32(overlapping, BLOCK + UserLayout.AVATAR_OFFSET, area);
  setU32(overlapping, BLOCK + UserLayout.AVATAR_OFFSET + 4, tableAt - area);
  throwsFormatError(() => UserView.wrap(overlapping), /User\.avatar: slices overlap/);
});

test("hostile: enum ordinals", () => {
  const user = copy(load("user"));
  user[BLOCK + UserLayout.ROLE_OFFSET] = 3;
  throwsFormatError(() => UserView.wrap(user), /User\.role: enum ordinal 3 but there are only 3 constants/);
  const profile = copy(load("profile-v2"));
  profile[BLOCK + ProfileV2Layout.ROLE_OFFSET] = 0xff;
  throwsFormatError(() => ProfileV2View.wrap(profile), /ProfileV2\.role: enum ordinal 255/);
});

test("hostile: malformed UTF-8 is refused when asked, decoded as U+FFFD otherwise", () => {
  const address = copy(load("address"));
  // "Grüner Weg": the second byte of ü (0xC3 0xBC) replaced by an ASCII byte.
  const at = getU32(address, 8) + 3;
  assert.equal(address[at], 0xbc);
  address[at] = 0x41;
  throwsFormatError(() => AddressView.wrap(address, 0, { validateUtf8: true }), /Address\.street: .*UTF-8/);
  assert.equal(AddressView.wrap(address).street(), "Gr\uFFFDAner Weg");
});

test("hostile: random damage is refused or reads completely", () => {
  let seed = 7;
  const random = (bound: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % bound;
  };
  for (const name of ["user", "profile-v2"]) {
    const message = load(name);
    const codec = codecs[values[name].type];
    for (let round = 0; round < 2000; round++) {
      const damaged = copy(message);
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
