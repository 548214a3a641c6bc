// The everyday journeys over the seeded demo authority: My work (U1), finding a child (U6), the child's page, the
// chronology and its filters (U5), the deadlines and a clock's working-out.
import { PHONE, check, sql } from './lib.mjs'

// The first child allocated to the user, from the My work page's case list: [name, href].
async function firstCase (page) {
  const link = page.locator('table:has(caption:text("Children allocated to me")) tbody a').first()
  return [(await link.textContent()).trim(), await link.getAttribute('href')]
}

export const tests = [
  {
    name: 'My work lists every overdue deadline of the user on the first page (U1)',
    async run (t) {
      const { page } = t
      await t.signInFresh('asha.patel')
      await t.audit('my work')
      await t.screenshot('my-work')
      // What the database says is overdue for Asha, asked independently of the page's own query.
      const userId = t.userId('asha.patel')
      const overdue = sql(t.db, 'SELECT id FROM clocks WHERE responsible_user_id = ' +
        `'${userId}' AND state = 'running' AND due_at < CAST(strftime('%s', 'now') AS INTEGER)`)
      check(overdue.length > 0, 'the demo data gives Asha no overdue deadlines to look for')
      const table = page.locator('table:has(caption:text("My overdue statutory deadlines"))')
      const shown = await table.locator('tbody a[href^="/clocks/"]').evaluateAll(
        (links) => links.map((a) => a.getAttribute('href').slice('/clocks/'.length)))
      const missing = overdue.filter((id) => !shown.includes(id))
      check(missing.length === 0, `My work leaves out overdue clocks ${missing.join(', ')}`)
      check((await page.getByRole('heading', { name: `Overdue (${overdue.length})` }).count()) === 1,
        `the Overdue heading does not count ${overdue.length}`)
      // Each row names the child and the paragraph, with one link to act on.
      const firstRow = await table.locator('tbody tr').first().textContent()
      check(/para\. \d/.test(firstRow), `an overdue row gives no paragraph: ${firstRow.trim()}`)
      // On a phone the rows stack as blocks; screen readers must still meet a table with its column headers.
      await page.setViewportSize(PHONE)
      const tree = await table.ariaSnapshot()
      check(tree.includes('columnheader "Child"') && tree.includes('- cell "'), `at 320 px the table reads as:\n${tree}`)
    }
  },
  {
    name: 'the search box in the header finds a child from any page, despite a typo (U6)',
    async run (t) {
      const { page } = t
      await t.signInFresh('asha.patel')
      const [name, href] = await firstCase(page)
      const surname = name.split(' ').slice(-1)[0]
      // Two neighbouring letters swapped after the first: one edit away.
      const typo = surname.length >= 4 ? surname[0] + surname[2] + surname[1] + surname.slice(3) : surname
      const header = page.getByRole('search', { name: 'Find a child' })
      await header.getByRole('searchbox').fill(typo)
      await t.clickAndLoad(header.getByRole('button', { name: 'Search' }))
      check(new URL(page.url()).pathname === '/children', `the header search went to ${page.url()}`)
      await t.audit('search from the header')
      check(await page.locator(`table tbody a[href="${href}"]`).count() === 1,
        `searching from the header for ${typo} does not list ${name}`)
    }
  },
  {
    name: 'find a child by search, open the child, then the chronology and filter it (U5, U6)',
    async run (t) {
      const { page } = t
      await t.signInFresh('asha.patel')
      const [name, href] = await firstCase(page)
      const surname = name.split(' ').slice(-1)[0]

      await t.clickAndLoad(page.getByRole('link', { name: 'Children', exact: true }))
      await t.audit('find a child')
      await page.getByLabel('Name, date of birth, NHS number, postcode or case ID', { exact: true }).fill(surname)
      await t.clickAndLoad(page.getByRole('main').getByRole('button', { name: 'Search' }))
      check(new URL(page.url()).search === `?q=${encodeURIComponent(surname)}`, `search went to ${page.url()}`)
      await t.audit('search results')
      const result = page.locator(`table tbody a[href="${href}"]`)
      check(await result.count() === 1, `searching for ${surname} does not list ${name}`)
      check((await result.textContent()).trim() === name, `the result is named ${await result.textContent()}`)

      await t.clickAndLoad(result)
      check(new URL(page.url()).pathname === href, `the result went to ${page.url()}`)
      check((await page.getByRole('heading', { level: 1 }).textContent()).trim() === name, 'the child page heading')
      await t.audit('child page')
      await t.screenshot('child')

      await t.clickAndLoad(page.getByRole('link', { name: /^See all \d+ entries/ }))
      check(new URL(page.url()).pathname === `${href}/chronology`, `the chronology link went to ${page.url()}`)
      await t.audit('chronology')
      await t.screenshot('chronology')
      const titles = page.locator('.moj-timeline__title')
      const all = await titles.count()
      check(all > 0, 'the chronology is empty')

      // Filter by the type of the newest entry: every entry left is of that type.
      const type = (await titles.first().evaluate((h) => h.childNodes[0].textContent)).trim()
      await page.getByLabel('Type of event').selectOption({ label: type })
      await t.clickAndLoad(page.getByRole('button', { name: 'Apply filters' }))
      check(new URL(page.url()).searchParams.get('type'), `the filter sent no type: ${page.url()}`)
      const kept = await titles.evaluateAll((hs) => hs.map((h) => h.childNodes[0].textContent.trim()))
      check(kept.length > 0 && kept.length <= all, `filtering by ${type} kept ${kept.length} of ${all}`)
      check(kept.every((k) => k === type), `filtering by ${type} kept ${[...new Set(kept)].join(', ')}`)
      await t.audit('chronology filtered by type')

      // A date that is not one is refused with the GOV.UK error pattern, keeping what was typed.
      await page.getByLabel('From').fill('2025-02-30')
      await t.clickAndLoad(page.getByRole('button', { name: 'Apply filters' }))
      check(await page.locator('.govuk-error-summary').isVisible(), 'no error summary for an impossible date')
      check(await page.locator('#from-error').isVisible(), 'no inline error for an impossible date')
      check(await page.getByLabel('From').inputValue() === '2025-02-30', 'the date typed was not kept')
      await t.audit('chronology with a date error')
    }
  },
  {
    name: 'the deadlines page, and a clock page showing how its date was worked out',
    async run (t) {
      const { page } = t
      await t.signInFresh('asha.patel')
      await t.clickAndLoad(page.getByRole('link', { name: 'Deadlines', exact: true }))
      check(new URL(page.url()).pathname === '/deadlines', `the Deadlines link went to ${page.url()}`)
      await t.audit('deadlines')
      await t.screenshot('deadlines')

      await t.clickAndLoad(page.getByRole('link', { name: /^Overdue \(\d+\)$/ }))
      await t.audit('deadlines: overdue')
      const rows = page.locator('table tbody tr')
      check(await rows.count() > 0, 'the overdue view is empty')
      check((await rows.first().textContent()).includes('Overdue'), 'an overdue row is not tagged Overdue')

      const clock = rows.first().locator('a[href^="/clocks/"]')
      const title = (await clock.textContent()).trim()
      await t.clickAndLoad(clock)
      check((await page.getByRole('heading', { level: 1 }).textContent()).trim() === title, 'the clock page heading')
      await page.getByText('How this date was worked out').click()
      const explanation = page.locator('.govuk-details__text')
      check(await explanation.isVisible(), 'the working-out does not open')
      const text = await explanation.textContent()
      check(/working day|hours|month|day 0/.test(text), `the working-out says: ${text.trim()}`)
      await t.audit('clock page with its working-out open')
    }
  }
]
