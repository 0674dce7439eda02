// Profiles, campaigns, companies by hand, delete and undo; a CSV dropped on the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withPage, open, shot } from '../lib/browser.mjs';
import { signUp, createProfile, fillProfile, createCampaign, dropFile, SHARED } from '../lib/flows.mjs';


test('profiles, a campaign, companies by hand, delete and undo', async () => {
  await withPage('campaigns', async (page, { offsite }) => {
    await signUp(page, 'e2e-campaigns');

    // A profile with two writing samples; validation first.
    await open(page, '/profiles/new');
    await page.click('button:text("Save profile")');
    await page.locator('.field-error[data-field="name"]').waitFor();
    await fillProfile(page);
    await page.locator('[data-profile="Acme Data"]', { hasText: '2 writing samples' }).waitFor();

    // A campaign with two personas and all three signal preferences.
    await createCampaign(page, 'Q1 developer platforms');
    assert.match(await page.textContent('.card:has(h2:text("Buying signals"))'), /Funding in the last 18 months.*Hiring: data engineer.*Tools: Snowflake/s);
    assert.match(await page.textContent('.card:has(h2:text("Ideal customer"))'), /VP Engineering.*Head of Data/s);

    // Five companies by hand, two of them duplicates by domain.
    await page.fill('#manual', [
      'Northwind Traders, https://www.northwind-traders.example/about',
      'Contoso, contoso.example',
      'northwind-traders.example',
      'Fabrikam Inc, fabrikam.example',
      'Contoso Ltd, http://Contoso.example/',
    ].join('\n'));
    await page.click('button:text("Add companies")');
    const report = page.getByTestId('add-report');
    await report.waitFor();
    assert.match(await report.textContent(), /Added 3 companies\./);
    assert.match(await report.textContent(), /Merged duplicates of northwind-traders\.example: kept row 1 “Northwind Traders”, merged row 3/);
    assert.match(await report.textContent(), /Merged duplicates of contoso\.example/);
    await page.locator('[data-testid="companies"] tbody tr').nth(2).waitFor();
    assert.equal(await page.locator('[data-testid="companies"] tbody tr').count(), 3);
    await shot(page, 'campaign-draft');

    // Listed, deleted, undone.
    await page.click('a:text("Campaigns")');
    const row = page.locator('tr[data-campaign="Q1 developer platforms"]');
    await row.waitFor();
    assert.match(await row.textContent(), /draft.*3/s);
    await row.locator('button:text("Delete")').click();
    await row.waitFor({ state: 'detached' });
    await page.click('.undo button:text("Undo")');
    await page.locator('tr[data-campaign="Q1 developer platforms"]').waitFor();
    await shot(page, 'campaign-list');
    assert.deepEqual(offsite, []);
  });
});

test('a CSV dropped on the page is previewed, re-mapped and imported', async () => {
  await withPage('import', async (page) => {
    await signUp(page, 'e2e-import');
    await createProfile(page);
    await createCampaign(page, 'YC import');

    await dropFile(page, join(SHARED, 'data', 'yc-startups-2005-2014.csv'));

    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    // A 20-column file scrolls inside its box; the page itself never gets wider.
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(widths[0] <= widths[1], `page ${widths[0]} px wide in a ${widths[1]} px window`);
    assert.equal(await page.getByTestId('row-count').textContent(), '688');
    assert.equal(await page.getByTestId('encoding').textContent(), 'UTF-8');
    assert.equal(await page.getByTestId('delimiter').textContent(), 'comma');
    assert.equal(await page.inputValue('select[data-column="Company"]'), 'company_name');
    assert.equal(await page.inputValue('select[data-column="Website"]'), 'website');
    assert.equal(await page.inputValue('select[data-column="Categories"]'), 'industry');
    assert.equal(await preview.locator('tbody tr').count(), 50);
    await shot(page, 'import-preview');

    // The user changes one mapping: the office address becomes the location.
    await page.selectOption('select[data-column="Office Address"]', 'location');
    assert.equal(await page.inputValue('select[data-column="Office Address"]'), 'location');
    const companies = Number(await page.getByTestId('company-count').textContent());
    assert.ok(companies > 600 && companies <= 688, `companies ${companies}`);

    await page.click('[data-testid="confirm-import"]');
    const report = page.getByTestId('add-report');
    await report.waitFor({ timeout: 30000 });
    assert.match(await report.textContent(), new RegExp(`Added ${companies} companies\\.`));
    assert.match(await report.textContent(), /website not usable/);
    // The report shows at once; the table follows when the page has re-read the campaign.
    await page.locator('[data-testid="company-total"]', { hasText: new RegExp(`^${companies}$`) }).waitFor();
    await page.locator('tr[data-company="Goldbely"]', { hasText: 'goldbely.com' }).waitFor();
    await shot(page, 'import-done');
  });
});
