// Uploads a random file to the File column `data` of a flowsessionbinary row with dynamics-web-api's uploadFile
// (chunked), downloads it with downloadFile (ranged JSON form) and checks it byte for byte; then replaces it with a
// file whose size is an exact multiple of the chunk size (the client then sends a zero-length final chunk), and
// deletes it.
//
// Environment:
//   FLOWBIN_URL      server root, e.g. http://127.0.0.1:8080/ (the client appends api/data/v9.2/)
//   FLOWBIN_TOKEN    bearer token of a user allowed to write flowsessionbinary rows
//   FLOW_SESSION_ID  id of an existing flowsession the new row belongs to
//   FILE_SIZE        size of the random file in bytes (default 10485760)
//
// Prints one line per step; exits with status 1 at the first failed step.

import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { COLLECTION, client, flowSessionId, step } from "./harness.mjs";

const size = Number(process.env.FILE_SIZE ?? 10 * 1024 * 1024);

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
let id;
const original = randomBytes(size);
const exact = randomBytes(2 * 4194304);

await step("create a row", async () => {
    id = await client.create({
        collection: COLLECTION,
        data: { name: "client file", "flowsessionid@odata.bind": `/flowsessions(${flowSessionId})` },
    });
    assert.match(id, /^[0-9a-f-]{36}$/);
});

await step(`uploadFile (chunked) of ${size} random bytes`, async () => {
    await client.uploadFile({ collection: COLLECTION, key: id, property: "data", fileName: "run output.bin", data: original });
});

await step("the row shows the file's id and name", async () => {
    const row = await client.retrieve({ collection: COLLECTION, key: id, select: ["data", "data_name"] });
    assert.match(row.data, /^[0-9a-f-]{36}$/);
    assert.equal(row.data_name, "run output.bin");
});

await step("downloadFile returns the same bytes", async () => {
    const file = await client.downloadFile({ collection: COLLECTION, key: id, property: "data" });
    assert.equal(file.fileSize, size);
    assert.equal(decodeURIComponent(file.fileName), "run output.bin");
    assert.equal(file.data.length, size);
    assert.equal(sha256(Buffer.from(file.data)), sha256(original));
});

await step("uploadFile of an exact multiple of the chunk size replaces the file", async () => {
    await client.uploadFile({ collection: COLLECTION, key: id, property: "data", fileName: "exact.bin", data: exact });
    const file = await client.downloadFile({ collection: COLLECTION, key: id, property: "data" });
    assert.equal(file.fileSize, exact.length);
    assert.equal(sha256(Buffer.from(file.data)), sha256(exact));
});

await step("deleteRecord of the column removes the file", async () => {
    await client.deleteRecord({ collection: COLLECTION, key: id, property: "data" });
    const row = await client.retrieve({ collection: COLLECTION, key: id, select: ["data", "data_name"] });
    assert.equal(row.data, null);
    assert.equal(row.data_name, null);
});
