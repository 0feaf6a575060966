// Drives RetrieveMultiple through the dynamics-web-api client (v2) as applications written against Dataverse do:
// retrieveMultiple with query options and expansions, page by page through @odata.nextLink, retrieveAll, count and
// countAll, fetch and fetchAll with the FetchXML paging cookie. Checks every answer.
//
// Environment:
//   FLOWBIN_URL      server root, e.g. http://127.0.0.1:8080/ (the client appends api/data/v9.2/)
//   FLOWBIN_TOKEN    bearer token of a user allowed to create and read flowsessionbinary rows
//   FLOW_SESSION_ID  id of an existing flowsession named "client run" the new rows belong to
//
// Prints one line per step; exits with status 1 at the first failed step.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { COLLECTION, client, flowSessionId, serverUrl, step } from "./harness.mjs";

const ROWS = 23;

// every row of this run carries the marker, so that the checks see this run's rows only
const marker = `q${randomUUID().slice(0, 8)}`;
const expectedNames = [];
const filter = `startswith(name,'${marker}')`;

await step(`create ${ROWS} rows`, async () => {
    for (let i = 0; i < ROWS; i++) {
        const name = `${marker}-${String(i).padStart(2, "0")}`;
        expectedNames.push(name);
        await client.create({
            collection: COLLECTION,
            data: {
                name,
                type: i % 2 === 0 ? "Input" : "Output",
                importsequencenumber: i,
                "flowsessionid@odata.bind": `/flowsessions(${flowSessionId})`,
            },
        });
    }
});

await step("retrieveMultiple with select, filter, orderBy, top and count", async () => {
    const response = await client.retrieveMultiple({
        collection: COLLECTION,
        select: ["name", "type", "importsequencenumber"],
        filter: `${filter} and type eq 'Input'`,
        orderBy: ["importsequencenumber desc"],
        top: 3,
        count: true,
    });
    assert.deepEqual(response.value.map((row) => row.name), [expectedNames[22], expectedNames[20], expectedNames[18]]);
    assert.equal(response.oDataCount, 12);
    assert.equal(response.oDataNextLink, undefined, "$top gives no next page");
});

await step("retrieveMultiple pages through oDataNextLink with maxPageSize", async () => {
    const request = { collection: COLLECTION, select: ["name"], filter, orderBy: ["name"], maxPageSize: 10 };
    const first = await client.retrieveMultiple(request);
    assert.equal(first.value.length, 10);
    assert.ok(first.oDataNextLink, "a next link on a full page");
    assert.ok(first.oDataNextLink.startsWith(`${serverUrl}api/data/v9.2/`), first.oDataNextLink);
    const second = await client.retrieveMultiple(request, first.oDataNextLink);
    assert.deepEqual(second.value.map((row) => row.name), expectedNames.slice(10, 20));
    const third = await client.retrieveMultiple(request, second.oDataNextLink);
    assert.deepEqual(third.value.map((row) => row.name), expectedNames.slice(20));
    assert.equal(third.oDataNextLink, undefined, "no next link on the last page");
});

await step("retrieveAll collects every page", async () => {
    const response = await client.retrieveAll({
        collection: COLLECTION,
        select: ["name"],
        filter,
        orderBy: ["name desc"],
        maxPageSize: 4,
    });
    assert.deepEqual(response.value.map((row) => row.name), [...expectedNames].reverse());
});

await step("retrieveMultiple with expand and formatted values", async () => {
    const response = await client.retrieveMultiple({
        collection: COLLECTION,
        select: ["name", "statecode"],
        filter: `name eq '${expectedNames[0]}'`,
        expand: [{ property: "flowsessionid", select: ["name"] }],
        includeAnnotations: "OData.Community.Display.V1.FormattedValue",
    });
    assert.equal(response.value.length, 1);
    assert.equal(response.value[0].flowsessionid.name, "client run");
    assert.equal(response.value[0]["statecode@OData.Community.Display.V1.FormattedValue"], "Active");
});

await step("count without a filter reads /$count", async () => {
    const count = await client.count({ collection: COLLECTION });
    assert.equal(typeof count, "number");
    assert.ok(count >= ROWS, `count ${count}`);
});

await step("count with a filter reads @odata.count", async () => {
    assert.equal(await client.count({ collection: COLLECTION, filter }), ROWS);
});

await step("countAll counts every page", async () => {
    assert.equal(await client.countAll({ collection: COLLECTION, filter, select: ["name"], maxPageSize: 5 }), ROWS);
});

const fetchXml = `<fetch><entity name="flowsessionbinary"><attribute name="name"/><attribute name="type"/>`
    + `<order attribute="name"/><filter><condition attribute="name" operator="begins-with" value="${marker}"/>`
    + `</filter></entity></fetch>`;

await step("fetch returns the first page with the paging cookie", async () => {
    const response = await client.fetch({
        collection: COLLECTION,
        fetchXml: fetchXml.replace("<fetch>", '<fetch count="10">'),
        includeAnnotations: "Microsoft.Dynamics.CRM.fetchxmlpagingcookie",
    });
    assert.deepEqual(response.value.map((row) => row.name), expectedNames.slice(0, 10));
    assert.ok(response.PagingInfo, "PagingInfo from @Microsoft.Dynamics.CRM.fetchxmlpagingcookie");
    assert.equal(response.PagingInfo.nextPage, 2);
    const next = await client.fetch({
        collection: COLLECTION,
        fetchXml: fetchXml.replace("<fetch>", '<fetch count="10">'),
        pageNumber: response.PagingInfo.nextPage,
        pagingCookie: response.PagingInfo.cookie,
        includeAnnotations: "Microsoft.Dynamics.CRM.fetchxmlpagingcookie",
    });
    assert.deepEqual(next.value.map((row) => row.name), expectedNames.slice(10, 20));
});

await step("fetchAll follows the paging cookie until it is absent", async () => {
    const response = await client.fetchAll({
        collection: COLLECTION,
        fetchXml: fetchXml.replace("<fetch>", '<fetch count="6">'),
        includeAnnotations: "Microsoft.Dynamics.CRM.fetchxmlpagingcookie",
    });
    assert.deepEqual(response.value.map((row) => row.name), expectedNames);
});

await step("fetch with an aggregate", async () => {
    const response = await client.fetch({
        collection: COLLECTION,
        fetchXml: `<fetch aggregate="true"><entity name="flowsessionbinary">`
            + `<attribute name="type" groupby="true" alias="kind"/>`
            + `<attribute name="flowsessionbinaryid" aggregate="count" alias="rows"/>`
            + `<filter><condition attribute="name" operator="begins-with" value="${marker}"/></filter>`
            + `<order alias="kind"/></entity></fetch>`,
    });
    assert.deepEqual(response.value, [{ kind: "Input", rows: 12 }, { kind: "Output", rows: 11 }]);
});

await step("a bad query is rejected with 400 and Dataverse's error shape", async () => {
    let error;
    try {
        await client.retrieveMultiple({ collection: COLLECTION, filter: "colour eq 'red'" });
    } catch (caught) {
        error = caught;
    }
    assert.ok(error, "the query succeeded");
    assert.equal(error.status, 400);
    assert.match(error.message ?? "", /colour/);
});

console.log("queries: all steps passed");
