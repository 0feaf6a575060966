// Drives $batch (executeBatch), the bulk actions, associations and IsValidStateTransition through the
// dynamics-web-api client (v2) exactly as applications written against Dataverse do, and checks every answer.
//
// Environment:
//   FLOWBIN_URL      server root, e.g. http://127.0.0.1:8080/ (the client appends api/data/v9.2/)
//   FLOWBIN_TOKEN    bearer token of a user allowed to create, read, write and delete flowsessionbinary rows
//   FLOW_SESSION_ID  id of an existing flowsession the new rows belong to
//   IMPERSONATED_USER_ID  systemuserid of another user the token's user may impersonate, who may create and read
//                    flowsessionbinary rows and append them to the flow session
//
// Prints one line per step; exits with status 1 at the first failed step.

import assert from "node:assert/strict";
import { GUID, COLLECTION, client, flowSessionId, sessionBind, step, describe, requiredEnv } from "./harness.mjs";

const impersonatedUserId = requiredEnv("IMPERSONATED_USER_ID");

async function retrieve(id, select) {
    return client.retrieve({ collection: COLLECTION, key: id, select });
}

let createdId;
let secondId;

await step("executeBatch runs a change set with a Content-ID reference and a GET", async () => {
    client.startBatch();
    client.create({ collection: COLLECTION, data: { name: "batch-a", type: "Input", ...sessionBind }, contentId: "1" });
    client.update({ contentId: "$1", data: { mimetype: "application/octet-stream" } });
    client.create({ collection: COLLECTION, data: { name: "batch-b", type: "Output", ...sessionBind } });
    client.retrieve({ collection: "flowsessions", key: flowSessionId, select: ["name"] });
    const results = await client.executeBatch();
    assert.equal(results.length, 4, `four responses, got ${JSON.stringify(results)}`);
    assert.match(String(results[0]), GUID, `the create's id, got ${JSON.stringify(results[0])}`);
    assert.match(String(results[2]), GUID, `the second create's id, got ${JSON.stringify(results[2])}`);
    assert.equal(typeof results[3], "object");
    assert.ok(results[3].name, `the GET's record, got ${JSON.stringify(results[3])}`);
    createdId = results[0];
    secondId = results[2];
    const record = await retrieve(createdId, ["name", "mimetype"]);
    assert.equal(record.name, "batch-a");
    assert.equal(record.mimetype, "application/octet-stream", "the PATCH of $1 changed the created row");
});

await step("a change set whose second request fails is rolled back and reported", async () => {
    client.startBatch();
    client.create({ collection: COLLECTION, data: { name: "batch-undone", ...sessionBind }, contentId: "1" });
    client.update({ contentId: "$1", data: { mimetype: "m".repeat(101) } });
    let errors;
    try {
        await client.executeBatch();
    } catch (caught) {
        errors = caught;
    }
    assert.ok(errors, "the batch must fail");
    const list = Array.isArray(errors) ? errors : [errors];
    // inside a batch the client keeps the parsed body, so the Dataverse error sits under error.error
    assert.ok(list.some((error) => error.status === 400 && (error.error?.code ?? error.code) === "0x80044331"),
        `a 400 with 0x80044331, got ${describe(errors)}`);
    // the JUnit wrapper checks in the database that no row named batch-undone exists
});

await step("requests outside a change set with continue-on-error answer one by one", async () => {
    client.startBatch();
    client.create({ collection: COLLECTION, data: { name: "batch-loose", ...sessionBind }, inChangeSet: false });
    client.retrieve({ collection: COLLECTION, key: secondId, select: ["name", "type"] });
    const results = await client.executeBatch({ inChangeSet: false, continueOnError: true });
    assert.equal(results.length, 2);
    assert.match(String(results[0]), GUID);
    assert.equal(results[1].name, "batch-b");
    assert.equal(results[1].type, "Output");
});

await step("CreateMultiple through callAction returns the Ids", async () => {
    const response = await client.callAction({
        collection: COLLECTION,
        actionName: "Microsoft.Dynamics.CRM.CreateMultiple",
        action: {
            Targets: [
                { "@odata.type": "Microsoft.Dynamics.CRM.flowsessionbinary", name: "bulk-1", ...sessionBind },
                { "@odata.type": "Microsoft.Dynamics.CRM.flowsessionbinary", name: "bulk-2", ...sessionBind },
            ],
        },
    });
    assert.equal(response.Ids.length, 2, JSON.stringify(response));
    const record = await retrieve(response.Ids[1], ["name"]);
    assert.equal(record.name, "bulk-2");
});

await step("UpdateMultiple through callAction changes the rows", async () => {
    await client.callAction({
        collection: COLLECTION,
        actionName: "Microsoft.Dynamics.CRM.UpdateMultiple",
        action: {
            Targets: [
                { "@odata.type": "Microsoft.Dynamics.CRM.flowsessionbinary", flowsessionbinaryid: createdId,
                    name: "batch-a-2" },
            ],
        },
    });
    assert.equal((await retrieve(createdId, ["name"])).name, "batch-a-2");
});

await step("IsValidStateTransition through callFunction", async () => {
    const valid = await client.callFunction({
        functionName: "IsValidStateTransition",
        parameters: { Entity: { "@odata.id": `${COLLECTION}(${createdId})` }, NewState: "Inactive", NewStatus: 2 },
    });
    assert.equal(valid.IsValid, true, JSON.stringify(valid));
    const invalid = await client.callFunction({
        functionName: "IsValidStateTransition",
        parameters: { Entity: { "@odata.id": `${COLLECTION}(${createdId})` }, NewState: "Inactive", NewStatus: 1 },
    });
    assert.equal(invalid.IsValid, false, JSON.stringify(invalid));
});

await step("associate and disassociate through the client", async () => {
    const other = await client.create({ collection: "flowsessions", data: { name: "client-parent" } });
    await client.associate({
        collection: "flowsessions",
        primaryKey: other,
        relationshipName: "flowsession_flowsessionbinary_flowsessionid",
        relatedCollection: COLLECTION,
        relatedKey: secondId,
    });
    const record = await retrieve(secondId, ["_flowsessionid_value"]);
    assert.equal(record._flowsessionid_value.toLowerCase(), String(other).toLowerCase());
    const child = await client.create({ collection: "flowsessions", data: { name: "client-child" } });
    await client.associate({
        collection: "flowsessions",
        primaryKey: other,
        relationshipName: "flowsession_flowsession_parentdesktopflowrunid",
        relatedCollection: "flowsessions",
        relatedKey: child,
    });
    await client.disassociate({
        collection: "flowsessions",
        primaryKey: other,
        relationshipName: "flowsession_flowsession_parentdesktopflowrunid",
        relatedKey: child,
    });
    const run = await client.retrieve({ collection: "flowsessions", key: child,
        select: ["_parentdesktopflowrunid_value"] });
    assert.equal(run._parentdesktopflowrunid_value, null);
});

await step("impersonate on a request inside a batch applies to that request alone", async () => {
    const realCaller = (await client.callFunction({ functionName: "WhoAmI" })).UserId;
    client.startBatch();
    client.create({ collection: COLLECTION, data: { name: "batch-impersonated", ...sessionBind },
        impersonate: impersonatedUserId });
    client.create({ collection: COLLECTION, data: { name: "batch-not-impersonated", ...sessionBind } });
    client.callFunction({ functionName: "WhoAmI", impersonate: impersonatedUserId });
    const results = await client.executeBatch();
    assert.equal(results.length, 3, `three responses, got ${JSON.stringify(results)}`);
    assert.equal(results[2].UserId, impersonatedUserId, `WhoAmI in the batch, got ${JSON.stringify(results[2])}`);
    const select = ["_createdby_value", "_createdonbehalfby_value"];
    const impersonated = await retrieve(results[0], select);
    assert.equal(impersonated._createdby_value, impersonatedUserId);
    assert.equal(impersonated._createdonbehalfby_value, realCaller);
    const plain = await retrieve(results[1], select);
    assert.equal(plain._createdby_value, realCaller);
    assert.equal(plain._createdonbehalfby_value, null);
});

await step("impersonate on executeBatch applies to every request of the batch", async () => {
    const realCaller = (await client.callFunction({ functionName: "WhoAmI" })).UserId;
    client.startBatch();
    client.create({ collection: COLLECTION, data: { name: "batch-outer-impersonated", ...sessionBind } });
    client.callFunction({ functionName: "WhoAmI" });
    const results = await client.executeBatch({ impersonate: impersonatedUserId });
    assert.equal(results.length, 2, `two responses, got ${JSON.stringify(results)}`);
    assert.equal(results[1].UserId, impersonatedUserId, `WhoAmI in the batch, got ${JSON.stringify(results[1])}`);
    const row = await retrieve(results[0], ["_createdby_value", "_createdonbehalfby_value"]);
    assert.equal(row._createdby_value, impersonatedUserId);
    assert.equal(row._createdonbehalfby_value, realCaller);
});

console.log("batch: all steps passed");
