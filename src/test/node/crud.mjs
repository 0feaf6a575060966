// Drives create, retrieve, update, upsert and delete of flowsessionbinary rows through the dynamics-web-api
// client (v2), exactly as applications written against Dataverse do, and checks every answer.
//
// Environment:
//   FLOWBIN_URL      server root, e.g. http://127.0.0.1:8080/ (the client appends api/data/v9.2/)
//   FLOWBIN_TOKEN    bearer token of a user allowed to create, read, write and delete flowsessionbinary rows
//   FLOW_SESSION_ID  id of an existing flowsession the new rows belong to
//
// Prints one line per step; exits with status 1 at the first failed step.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { GUID, COLLECTION, client, flowSessionId, sessionBind, step, describe } from "./harness.mjs";

const NOT_FOUND_CODE = "0x80040217";

async function expectNotFound(promise, id) {
    let error;
    try {
        await promise;
    } catch (caught) {
        error = caught;
    }
    assert.ok(error, `expected 404 for ${id}, but the request succeeded`);
    assert.equal(error.status, 404, `status for ${id}: ${describe(error)}`);
    assert.equal(error.code, NOT_FOUND_CODE, `error code for ${id}: ${describe(error)}`);
    assert.match(error.message ?? "", new RegExp(id, "i"), "the message names the missing id");
}

function assertSameId(actual, expected, what) {
    assert.equal(typeof actual, "string", `${what}: expected an id string, got ${JSON.stringify(actual)}`);
    assert.equal(actual.toLowerCase(), expected.toLowerCase(), what);
}

async function retrieve(id, select) {
    return client.retrieve({ collection: COLLECTION, key: id, select });
}

let plainId;
let representedId;
const upsertedId = randomUUID();
const missingId = randomUUID();

await step("create returns the id from OData-EntityId", async () => {
    plainId = await client.create({
        collection: COLLECTION,
        data: { name: "crud-plain", type: "Input", mimetype: "text/plain", ...sessionBind },
    });
    assert.match(String(plainId), GUID, `create result ${JSON.stringify(plainId)} is not a GUID`);
});

await step("create with returnRepresentation returns the record", async () => {
    const record = await client.create({
        collection: COLLECTION,
        data: { name: "crud-represented", type: "Output", ...sessionBind },
        returnRepresentation: true,
        select: ["name", "type", "flowsessionbinaryid"],
    });
    assert.equal(typeof record, "object", `expected a record, got ${JSON.stringify(record)}`);
    assert.equal(record.name, "crud-represented");
    assert.equal(record.type, "Output");
    assert.match(String(record.flowsessionbinaryid), GUID);
    assert.ok(record["@odata.etag"], "the record carries @odata.etag");
    representedId = record.flowsessionbinaryid;
    assert.notEqual(representedId.toLowerCase(), plainId.toLowerCase(), "two creates give two ids");
});

await step("retrieve with select returns the selected columns and the key", async () => {
    const record = await retrieve(plainId, ["name", "type", "mimetype", "_flowsessionid_value"]);
    assertSameId(record.flowsessionbinaryid, plainId, "key column");
    assert.equal(record.name, "crud-plain");
    assert.equal(record.type, "Input");
    assert.equal(record.mimetype, "text/plain");
    assertSameId(record._flowsessionid_value, flowSessionId, "_flowsessionid_value");
    assert.ok(!("metadata" in record), "an unselected column is not returned");
});

await step("update (If-Match: *) of an existing row returns true", async () => {
    const result = await client.update({ collection: COLLECTION, key: plainId, data: { type: "Output" } });
    assert.equal(result, true);
    const record = await retrieve(plainId, ["type", "name"]);
    assert.equal(record.type, "Output");
    assert.equal(record.name, "crud-plain", "a column not sent is unchanged");
});

await step("updateSingleProperty sets one column", async () => {
    await client.updateSingleProperty({ collection: COLLECTION, key: plainId, fieldValuePair: { name: "crud-renamed" } });
    const record = await retrieve(plainId, ["name", "type"]);
    assert.equal(record.name, "crud-renamed");
    assert.equal(record.type, "Output");
});

await step("upsert of a new id creates the row with that id", async () => {
    const result = await client.upsert({
        collection: COLLECTION,
        key: upsertedId,
        data: { name: "crud-upserted", type: "Input", ...sessionBind },
    });
    assertSameId(result, upsertedId, "upsert result (from OData-EntityId)");
    const record = await retrieve(upsertedId, ["name"]);
    assert.equal(record.name, "crud-upserted");
});

await step("upsert of an existing id updates the row", async () => {
    const result = await client.upsert({ collection: COLLECTION, key: upsertedId, data: { name: "crud-upserted-2" } });
    assertSameId(result, upsertedId, "upsert result (from OData-EntityId)");
    const record = await retrieve(upsertedId, ["name", "type"]);
    assert.equal(record.name, "crud-upserted-2");
    assert.equal(record.type, "Input");
});

await step("upsert with ifnonematch * on an existing id is refused (412, client returns null)", async () => {
    const result = await client.upsert({
        collection: COLLECTION,
        key: upsertedId,
        data: { name: "must-not-be-written" },
        ifnonematch: "*",
    });
    assert.equal(result, null);
    const record = await retrieve(upsertedId, ["name"]);
    assert.equal(record.name, "crud-upserted-2", "the refused upsert changed nothing");
});

// update() sends If-Match: * and maps only 412 to false; a missing row answers 404 and the client rejects.
await step("update of a missing id is rejected with 404 0x80040217 and creates nothing", async () => {
    await expectNotFound(client.update({ collection: COLLECTION, key: missingId, data: { name: "ghost" } }), missingId);
    await expectNotFound(retrieve(missingId, ["name"]), missingId);
});

await step("deleteRecord returns true", async () => {
    assert.equal(await client.deleteRecord({ collection: COLLECTION, key: plainId }), true);
});

await step("retrieve after delete is rejected with 404 0x80040217", async () => {
    await expectNotFound(retrieve(plainId, ["name"]), plainId);
});

await step("deleteRecord of the remaining rows", async () => {
    assert.equal(await client.deleteRecord({ collection: COLLECTION, key: representedId }), true);
    assert.equal(await client.deleteRecord({ collection: COLLECTION, key: upsertedId }), true);
});

console.log("crud: all steps passed");
