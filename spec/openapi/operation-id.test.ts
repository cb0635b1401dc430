// Tests of operationIds: derived from method and path, declared ones checked unique.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi } from "../../lib/index.js";
import { deriveOperationId, operationIds } from "../../lib/openapi/operation-id.js";

const quiet = () => createApi({ accessLog: false });

describe("operationIds", () => {
  const derived: [string, string, string][] = [
    ["GET", "/", "getRoot"],
    ["GET", "/items", "getItems"],
    ["GET", "/items/{id}", "getItemsById"],
    ["DELETE", "/items/{id}", "deleteItemsById"],
    ["PUT", "/users/{userId}/posts/{post_id}", "putUsersByUserIdPostsByPostId"],
    ["GET", "/files/{path+}", "getFilesByPath"],
    ["POST", "/user-profiles/v1.2", "postUserProfilesV12"],
    ["HEAD", "/items/", "headItems"],
    ["OPTIONS", "/2024/reports", "options2024Reports"],
  ];
  for (const [method, path, id] of derived) {
    it(`derives ${id} for ${method} ${path}`, () => {
      const route = quiet()[method.toLowerCase() as "get"](path, () => 1).routes[0]!;
      assert.equal(deriveOperationId(route), id);
    });
  }

  it("keeps declared ids and numbers derived ids that are taken, in route order", () => {
    const routes = quiet()
      .get("/a/b", () => 1)
      .get("/a-b", () => 1)
      .get("/ab", () => 1, { operationId: "getAB" })
      .get("/a_b", () => 1).routes;
    assert.deepEqual(operationIds(routes), ["getAB2", "getAB3", "getAB", "getAB4"]);
  });

  it("throws for a declared operationId that is an empty string", () => {
    const routes = quiet().get("/a", () => 1, { operationId: "" }).routes;
    assert.throws(() => operationIds(routes), {
      name: "TypeError",
      message: 'GET /a: operationId must be a non-empty string, got ""',
    });
  });

  it("throws naming both routes for a declared operationId used twice", () => {
    const routes = quiet()
      .get("/a", () => 1, { operationId: "x" })
      .get("/b", () => 1)
      .delete("/a", () => 1, { operationId: "x" }).routes;
    assert.throws(() => operationIds(routes), {
      name: "TypeError",
      message:
        'operationId "x" is declared by both GET /a and DELETE /a; operationIds must be unique',
    });
  });
});
