// Tests of path template parsing: segments, names, shapes, and every build-time error.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { joinPath, parseTemplate } from "../lib/route.js";

describe("parseTemplate", () => {
  const valid: [template: string, trimmed: string, paramNames: string[], shape: string][] = [
    ["/", "/", [], "/"],
    ["/items", "/items", [], "/items"],
    ["/items/", "/items", [], "/items"],
    ["/items/{id}", "/items/{id}", ["id"], "/items/{}"],
    ["/items/{id}/", "/items/{id}", ["id"], "/items/{}"],
    ["/files/{path+}", "/files/{path+}", ["path"], "/files/{+}"],
    ["/{proxy+}", "/{proxy+}", ["proxy"], "/{+}"],
    ["/a/{x}/b/{y}", "/a/{x}/b/{y}", ["x", "y"], "/a/{}/b/{}"],
    [
      "/v1/{user_id}/{file.name}/{kebab-name}",
      "/v1/{user_id}/{file.name}/{kebab-name}",
      ["user_id", "file.name", "kebab-name"],
      "/v1/{}/{}/{}",
    ],
    // A colon inside a segment is plain text to API Gateway (Google-style custom methods).
    ["/v1/items:batchGet", "/v1/items:batchGet", [], "/v1/items:batchGet"],
    ["/v1/items:batchGet/", "/v1/items:batchGet", [], "/v1/items:batchGet"],
    ["/a:b/{c}", "/a:b/{c}", ["c"], "/a:b/{}"],
    ["/files/a*b", "/files/a*b", [], "/files/a*b"],
  ];
  for (const [template, trimmed, paramNames, shape] of valid) {
    it(`parses ${template}`, () => {
      const parsed = parseTemplate(template);
      assert.equal(parsed.template, trimmed);
      assert.deepEqual(parsed.paramNames, paramNames);
      assert.equal(parsed.shape, shape);
      assert.ok(Object.isFrozen(parsed));
      assert.ok(Object.isFrozen(parsed.segments));
      assert.ok(Object.isFrozen(parsed.paramNames));
    });
  }

  it("gives each segment its kind in path order", () => {
    assert.deepEqual(parseTemplate("/a/{b}/{c+}").segments, [
      { kind: "static", value: "a" },
      { kind: "param", name: "b" },
      { kind: "greedy", name: "c" },
    ]);
  });

  const invalid: [template: string, message: string][] = [
    ["items", 'Path template must start with "/", got "items"'],
    ["", 'Path template must start with "/", got ""'],
    ["//", 'Invalid path template "//": empty segment (two slashes in a row)'],
    ["/a//b", 'Invalid path template "/a//b": empty segment (two slashes in a row)'],
    ["/a//", 'Invalid path template "/a//": empty segment (two slashes in a row)'],
    ["/{}", 'Invalid path template "/{}": empty parameter name in segment "{}"'],
    ["/{+}", 'Invalid path template "/{+}": empty parameter name in segment "{+}"'],
    ["/{a+}/b", 'Invalid path template "/{a+}/b": greedy parameter {a+} must be the last segment'],
    ["/{a}/{a}", 'Invalid path template "/{a}/{a}": parameter {a} appears twice'],
    ["/{a}/{a+}", 'Invalid path template "/{a}/{a+}": parameter {a} appears twice'],
    [
      "/x{a}",
      'Invalid path template "/x{a}": segment "x{a}" mixes text and braces; a parameter is a whole segment',
    ],
    [
      "/{a}x",
      'Invalid path template "/{a}x": segment "{a}x" mixes text and braces; a parameter is a whole segment',
    ],
    [
      "/{a}{b}",
      'Invalid path template "/{a}{b}": segment "{a}{b}" mixes text and braces; a parameter is a whole segment',
    ],
    [
      "/items/{id}:cancel",
      'Invalid path template "/items/{id}:cancel": segment "{id}:cancel" mixes text and braces; a parameter is a whole segment',
    ],
    ["/a/{b", 'Invalid path template "/a/{b": unclosed brace in segment "{b"'],
    ["/{b+", 'Invalid path template "/{b+": unclosed brace in segment "{b+"'],
    ["/{a/b}", 'Invalid path template "/{a/b}": unclosed brace in segment "{a"'],
    ["/a}", 'Invalid path template "/a}": closing brace without an opening one in segment "a}"'],
    [
      "/a/b}",
      'Invalid path template "/a/b}": closing brace without an opening one in segment "b}"',
    ],
    [
      "/users/:id",
      'Invalid path template "/users/:id": ":id" is another framework\'s parameter syntax; API Gateway\'s is "/users/{id}"',
    ],
    [
      "/users/:id/posts/:post_id/",
      'Invalid path template "/users/:id/posts/:post_id/": ":id" is another framework\'s parameter syntax; API Gateway\'s is "/users/{id}/posts/{post_id}"',
    ],
    [
      "/users/:id?",
      'Invalid path template "/users/:id?": ":id" is another framework\'s parameter syntax; API Gateway\'s is "/users/{id}"',
    ],
    [
      "/users/:user-id(\\d+)",
      'Invalid path template "/users/:user-id(\\\\d+)": ":user-id(\\\\d+)" is another framework\'s parameter syntax; API Gateway\'s is "/users/{user-id}"',
    ],
    [
      "/:",
      'Invalid path template "/:": ":" is another framework\'s parameter syntax; API Gateway\'s is "/{name}"',
    ],
    [
      "/a/*",
      'Invalid path template "/a/*": "*" is another framework\'s wildcard syntax; API Gateway\'s is "/a/{proxy+}"',
    ],
    [
      "/*",
      'Invalid path template "/*": "*" is another framework\'s wildcard syntax; API Gateway\'s is "/{proxy+}"',
    ],
    [
      "/a/**",
      'Invalid path template "/a/**": "**" is another framework\'s wildcard syntax; API Gateway\'s is "/a/{proxy+}"',
    ],
    [
      "/a/*splat",
      'Invalid path template "/a/*splat": "*splat" is another framework\'s wildcard syntax; API Gateway\'s is "/a/{splat+}"',
    ],
    [
      "/a/*/b",
      'Invalid path template "/a/*/b": "*" is another framework\'s wildcard syntax; API Gateway\'s is "/a/{proxy}/b"',
    ],
    [
      "/files/*.txt",
      'Invalid path template "/files/*.txt": "*.txt" is another framework\'s wildcard syntax; API Gateway\'s is "/files/{proxy+}"',
    ],
    [
      "/a?x=1",
      'Invalid path template "/a?x=1": a query string is not part of a path template; register "/a" and declare the query with the query option',
    ],
    [
      "/a/{b}/?x=1#f",
      'Invalid path template "/a/{b}/?x=1#f": a query string is not part of a path template; register "/a/{b}" and declare the query with the query option',
    ],
    [
      "/?next=//x",
      'Invalid path template "/?next=//x": a query string is not part of a path template; register "/" and declare the query with the query option',
    ],
    [
      "/a#b",
      'Invalid path template "/a#b": a fragment is not part of a path template (clients never send it); register "/a"',
    ],
    [
      "/{id?}",
      'Invalid path template "/{id?}": parameter name "id?" has characters other than letters, digits, "_", "-" and "."',
    ],
    [
      "/{a b}",
      'Invalid path template "/{a b}": parameter name "a b" has characters other than letters, digits, "_", "-" and "."',
    ],
    [
      "/{__proto__}",
      'Invalid path template "/{__proto__}": parameter name "__proto__" is reserved',
    ],
    [
      "/{constructor}",
      'Invalid path template "/{constructor}": parameter name "constructor" is reserved',
    ],
    [
      "/{prototype+}",
      'Invalid path template "/{prototype+}": parameter name "prototype" is reserved',
    ],
  ];
  for (const [template, message] of invalid) {
    it(`refuses ${JSON.stringify(template)} naming the template`, () => {
      assert.throws(() => parseTemplate(template), { name: "TypeError", message });
    });
  }

  it("refuses a template that is not a string", () => {
    assert.throws(() => parseTemplate(42 as unknown as string), {
      name: "TypeError",
      message: 'Path template must start with "/", got 42',
    });
  });
});

describe("joinPath", () => {
  const rows: [prefix: string, template: string, joined: string][] = [
    ["/v1", "/items", "/v1/items"],
    ["/v1/", "/items", "/v1/items"],
    ["/v1", "/", "/v1"],
    ["/", "/", "/"],
    ["", "/items/{id}", "/items/{id}"],
  ];
  for (const [prefix, template, joined] of rows) {
    it(`joins ${JSON.stringify(prefix)} and ${JSON.stringify(template)} into ${joined}`, () => {
      assert.equal(joinPath(prefix, template), joined);
    });
  }
});
