// The organisation picker in front of a business service: the user acts for one of the
// companies they belong to, chosen by keyboard.
import assert from "node:assert/strict";
import {
  api, atService, browserTest, newUser, operatorToken, press, signIn, startAt, submitOf, tabTo, visit,
} from "./lib/harness.mjs";

browserTest("a member of two companies picks one and the service gets it", async (b) => {
  const { page } = b;
  const user = await newUser("member");
  const operator = await operatorToken();
  const names = ["Alpha Logistik AG", "Beta Versand GmbH"];
  const ids = [];
  for (const name of names) {
    const org = await api(operator, "POST", "/organizations", { name, business_id: "CHE-123" });
    await api(operator, "POST", `/organizations/${org.id}/members`, {
      email: user.email, roles: ["clerk"], services: ["*"],
    });
    ids.push(org.id);
  }
  await startAt(b, "biz");
  await signIn(b, user);
  await page.waitForSelector(submitOf("/login/org"));
  await visit(b, "org-pick");
  // Radio buttons: Tab into the group, arrows to move, Enter on the button.
  await tabTo(page, 'input[name=org]');
  const offered = await page.locator("input[name=org]").evaluateAll((es) => es.map((e) => e.value));
  assert.ok(ids.every((id) => offered.includes(id)), `both companies are offered: ${offered}`);
  for (let i = 0; i < offered.length; i++) {
    if (await page.evaluate((id) => document.activeElement.value === id, ids[1])) break;
    await page.keyboard.press("ArrowDown");
  }
  assert.ok(await page.isChecked(`input[value="${ids[1]}"]`), "the arrow keys choose");
  await press(page, submitOf("/login/org"));
  // The organisation claims themselves are checked over HTTP (tests/e2e/orgs.rs); the
  // portal shows only the standard ones.
  await atService(b, "biz", user.email);
});
