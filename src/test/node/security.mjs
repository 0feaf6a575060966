// Drives the security model through the dynamics-web-api client (v2) with the tokens of two users and the
// administrator: each user reads and changes only the rows its Basic-depth role reaches, a denied request carries
// Dataverse's privilege error, and a share made with GrantAccess opens a row to the other user.
//
// Environment:
//   FLOWBIN_URL      server root (the client appends api/data/v9.2/)
//   FLOWBIN_TOKEN    administrator token
//   FIRST_TOKEN, SECOND_TOKEN   tokens of two users holding Read and Write at Basic depth
//   FIRST_ROW, SECOND_ROW       a flowsessionbinary row owned by each of them
//   SECOND_USER      the second user's systemuserid
//
// Prints one line per step; exits with status 1 at the first failed step.

import assert from "node:assert/strict";
import { COLLECTION, clientFor, requiredEnv, step } from "./harness.mjs";

const PRIVILEGE_DENIED = "0x80040220";

const admin = clientFor(requiredEnv("FLOWBIN_TOKEN"));
const first = clientFor(requiredEnv("FIRST_TOKEN"));
const second = clientFor(requiredEnv("SECOND_TOKEN"));
const firstRow = requiredEnv("FIRST_ROW");
const secondRow = requiredEnv("SECOND_ROW");
const secondUser = requiredEnv("SECOND_USER");

async function expectDenied(promise, what) {
    let error;
    try {
        await promise;
    } catch (caught) {
        error = caught;
    }
    assert.ok(error, `${what}: expected 403, but the request succeeded`);
    assert.equal(error.status, 403, `${what}: status ${error.status} ${error.message}`);
    assert.equal(error.code, PRIVILEGE_DENIED, `${what}: code`);
}

const names = async (client) => (await client.retrieveMultiple({
    collection: COLLECTION, select: ["name"], filter: "startswith(name,'client security')",
})).value.map((row) => row.name).sort();

await step("each user retrieves its own row", async () => {
    assert.equal((await first.retrieve({ collection: COLLECTION, key: firstRow, select: ["name"] })).name,
        "client security first");
    assert.equal((await second.retrieve({ collection: COLLECTION, key: secondRow, select: ["name"] })).name,
        "client security second");
});

await step("neither user retrieves the other's row", async () => {
    await expectDenied(first.retrieve({ collection: COLLECTION, key: secondRow }), "first reads second's row");
    await expectDenied(second.retrieve({ collection: COLLECTION, key: firstRow }), "second reads first's row");
});

await step("retrieveMultiple answers each user its own rows only", async () => {
    assert.deepEqual(await names(first), ["client security first"]);
    assert.deepEqual(await names(second), ["client security second"]);
    assert.deepEqual(await names(admin), ["client security first", "client security second"]);
});

await step("an update of the other's row is denied", async () => {
    await expectDenied(second.update({ collection: COLLECTION, key: firstRow, data: { name: "taken" } }),
        "second writes first's row");
});

await step("GrantAccess opens the row to the other user, for reading only", async () => {
    await admin.callAction({
        actionName: "GrantAccess",
        action: {
            Target: { flowsessionbinaryid: firstRow, "@odata.type": "Microsoft.Dynamics.CRM.flowsessionbinary" },
            PrincipalAccess: {
                AccessMask: "ReadAccess",
                Principal: { systemuserid: secondUser, "@odata.type": "Microsoft.Dynamics.CRM.systemuser" },
            },
        },
    });
    assert.equal((await second.retrieve({ collection: COLLECTION, key: firstRow, select: ["name"] })).name,
        "client security first");
    assert.deepEqual(await names(second), ["client security first", "client security second"]);
    await expectDenied(second.update({ collection: COLLECTION, key: firstRow, data: { name: "taken" } }),
        "second writes a row shared for reading");
});
