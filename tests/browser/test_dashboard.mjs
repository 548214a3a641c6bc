// The managers' dashboards and bulk reassignment (U1, U11), printing a child's records (U9) and the closure-days
// page, in the browser: every page state audited with axe at 1280 and 320 px.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { check, sql } from './lib.mjs'

// The text of each page of a PDF (poppler's pdftotext), white space collapsed.
function pdfPages (bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'sgprint-'))
  try {
    const file = join(dir, 'p.pdf')
    writeFileSync(file, bytes)
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
    const pages = Number((/Pages:\s+(\d+)/.exec(info) || [])[1] || 0)
    const out = []
    for (let p = 1; p <= pages; p++) {
      out.push(execFileSync('pdftotext', ['-q', '-f', String(p), '-l', String(p), file, '-'], { encoding: 'utf8' })
        .replace(/\s+/g, ' '))
    }
    return out
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// Prints the current page as the browser would (print media, A4) and checks every sheet.
async function checkPrint (t, what, name, id) {
  const { page } = t
  await page.emulateMedia({ media: 'print' })
  check(!(await page.locator('.govuk-service-navigation').isVisible()), `${what}: the navigation prints`)
  check(!(await page.locator('.govuk-header').isVisible()), `${what}: the header prints`)
  const header = page.locator('.app-print-header')
  check(await header.isVisible(), `${what}: no print header`)
  const text = await header.textContent()
  check(text.includes(name) && text.includes(id), `${what}: the print header says ${text.trim()}`)
  const pages = pdfPages(await page.pdf({ format: 'A4', preferCSSPageSize: true }))
  check(pages.length >= 1, `${what}: nothing printed`)
  pages.forEach((p, i) => {
    check(p.includes(name) && p.includes(`Record ID ${id}`), `${what}: sheet ${i + 1} lacks the child's name and id`)
    check(p.includes(`Page ${i + 1} of ${pages.length}`), `${what}: sheet ${i + 1} is not numbered: ${p.slice(-200)}`)
    check(!p.includes('Sign out'), `${what}: sheet ${i + 1} prints the header's Sign out`)
  })
  await page.emulateMedia({ media: 'screen' })
}

export const tests = [
  {
    name: 'a team manager sees caseloads and overdue work, and reassigns cases in one confirmed action (U11)',
    async run (t) {
      const { page } = t
      await t.signInFresh('dan.hughes')
      await t.clickAndLoad(page.getByRole('link', { name: 'Dashboard', exact: true }))
      check(new URL(page.url()).pathname === '/dashboard', `the Dashboard link went to ${page.url()}`)
      await t.audit('team dashboard')
      await t.screenshot('dashboard')
      // The chart is one image with its figures in words, and the table beside it has the same figures.
      const chart = page.locator('svg.app-chart')
      check(await chart.getAttribute('role') === 'img', 'the chart is not role="img"')
      const label = await chart.getAttribute('aria-label')
      const rows = page.locator('table:has(caption:text("by worker")) tbody tr')
      for (let i = 0; i < await rows.count(); i++) {
        const cells = rows.nth(i).locator('td')
        const worker = (await cells.nth(0).textContent()).trim()
        const overdue = (await cells.nth(2).textContent()).trim()
        check(label.includes(`${worker} ${overdue}`), `the chart's label lacks "${worker} ${overdue}": ${label}`)
        const id = t.userId(worker.toLowerCase().replace(' ', '.'))
        const open = sql(t.db, `SELECT COUNT(*) FROM cases WHERE allocated_user_id = '${id}' AND closed_at IS NULL`)[0]
        const shown = (await cells.nth(1).textContent()).trim()
        check(shown === open, `${worker}: the table shows ${shown} open cases, the database has ${open}`)
      }

      // Ben's cases only, then two of them to Dan, without any script involved in the choosing.
      await page.getByLabel('Show the cases of').selectOption({ label: 'Ben Okafor' })
      await t.clickAndLoad(page.getByRole('button', { name: 'Show' }))
      await t.audit('team dashboard filtered to a worker')
      const boxes = page.locator('input[name="case_id"]')
      check(await boxes.count() >= 2, 'Ben has fewer than 2 cases to reassign')
      const chosen = [await boxes.nth(0).getAttribute('value'), await boxes.nth(1).getAttribute('value')]
      await boxes.nth(0).check()
      await boxes.nth(1).check()
      await page.getByLabel('Reassign the ticked cases to').selectOption({ label: 'Dan Hughes' })
      await t.clickAndLoad(page.getByRole('button', { name: 'Continue' }))
      // No reason: refused, the ticks kept.
      check(await page.locator('.govuk-error-summary').isVisible(), 'no error summary without a reason')
      check(await page.locator(`input[value="${chosen[0]}"]`).isChecked(), 'a tick was lost on the refused form')
      await t.audit('reassignment refused')
      await page.getByLabel('Reason for the reassignment').fill('Ben is on leave for a month')
      await t.clickAndLoad(page.getByRole('button', { name: 'Continue' }))
      check((await page.getByRole('heading', { level: 1 }).textContent()).trim() === 'Check the reassignment',
        `after Continue: ${page.url()}`)
      await t.audit('reassignment check')
      await t.clickAndLoad(page.getByRole('button', { name: 'Reassign 2 cases' }))
      check((await page.locator('.govuk-notification-banner').textContent()).includes('2 cases reassigned.'),
        'no confirmation that 2 cases were reassigned')
      await t.audit('team dashboard after a reassignment')
      const dan = t.userId('dan.hughes')
      for (const id of chosen) {
        const now = sql(t.db, `SELECT allocated_user_id FROM cases WHERE id = '${id}'`)[0]
        check(now === dan, `case ${id} is allocated to ${now}, not Dan`)
      }
    }
  },
  {
    name: 'without JavaScript, "select all" ticks every case shown and the confirmation lists them',
    async run (t) {
      const context = await t.context.browser().newContext({ javaScriptEnabled: false, locale: 'en-GB' })
      try {
        const page = await context.newPage()
        await page.goto(t.url('/sign-in'))
        await page.getByLabel('Username').fill('dan.hughes')
        await page.getByLabel('Password').fill('safeguard-demo-2026')
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()])
        await page.goto(t.url('/dashboard'))
        await page.getByLabel('Show the cases of').selectOption({ label: 'Dan Hughes' })
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Show' }).click()])
        await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /^Select all \d+ shown$/ }).click()])
        const boxes = page.locator('input[name="case_id"]')
        const n = await boxes.count()
        check(n >= 2, `Dan has ${n} cases after the first test moved two to him`)
        for (let i = 0; i < n; i++) check(await boxes.nth(i).isChecked(), `box ${i} is not ticked by "select all"`)
        await page.getByLabel('Reassign the ticked cases to').selectOption({ label: 'Ben Okafor' })
        await page.getByLabel('Reason for the reassignment').fill('Ben is back')
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()])
        check(await page.locator('table tbody tr').count() === n, 'the confirmation does not list every case')
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: `Reassign ${n} cases` }).click()])
        check((await page.locator('.govuk-notification-banner').textContent()).includes(`${n} cases reassigned.`),
          'no confirmation after reassigning without script')
      } finally {
        await context.close()
      }
    }
  },
  {
    name: 'a service manager sees the authority: overdue work by team as a chart and a table',
    async run (t) {
      const { page } = t
      await t.signInFresh('erin.walsh')
      await t.clickAndLoad(page.getByRole('link', { name: 'Dashboard', exact: true }))
      check((await page.getByRole('heading', { level: 1 }).textContent()).trim() === 'Authority dashboard',
        'the service manager does not see the authority dashboard')
      check(await page.locator('svg.app-chart title').textContent() === 'Overdue statutory deadlines by team',
        'the chart has no title')
      await t.audit('authority dashboard')
      const team = page.locator('table:has(caption:text("by team")) tbody a').first()
      const teamName = (await team.textContent()).trim()
      await t.clickAndLoad(team)
      check((await page.locator('.govuk-caption-l').textContent()).trim() === teamName, 'the team link went elsewhere')
      await t.audit('a team dashboard seen from the authority')
    }
  },
  {
    name: 'a child\'s page and chronology print with the child\'s name and record id on every sheet (U9)',
    async run (t) {
      const { page } = t
      await t.signInFresh('asha.patel')
      const link = page.locator('table:has(caption:text("Children allocated to me")) tbody a').first()
      const name = (await link.textContent()).trim()
      await t.clickAndLoad(link)
      const id = new URL(page.url()).pathname.split('/').pop()
      await checkPrint(t, 'the child\'s page', name, id)
      await t.clickAndLoad(page.getByRole('link', { name: /^See all \d+ entries/ }))
      await t.audit('chronology with the PDF link')
      await checkPrint(t, 'the chronology', name, id)
      // The server's own PDF of the same chronology.
      const [download] = await Promise.all([page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download as PDF' }).click()])
      const path = await download.path()
      const sheets = pdfPages(readFileSync(path))
      check(sheets[0].includes('Chronology') && sheets[0].includes(name) && sheets[0].includes(id),
        `the chronology PDF's first page reads: ${sheets[0].slice(0, 300)}`)
      const exported = sql(t.db, `SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND child_id = '${id}'`)[0]
      check(Number(exported) >= 1, 'the PDF download was not audited as an export')
    }
  },
  {
    name: 'the system administrator\'s closure-days page, and a refused entry that keeps what was typed',
    async run (t) {
      const { page } = t
      await t.signInFresh('kim.adeyemi')
      await t.clickAndLoad(page.getByRole('link', { name: 'Closure days', exact: true }))
      await t.audit('closure days')
      check(await page.getByText('deadlines count it only after Safeguard has been restarted').isVisible(),
        'the page does not say that a restart is needed')
      // Nothing valid is sent: the browser tests' server reads the repository's own rules.
      await page.getByLabel('Name', { exact: true }).fill('A closure with no date')
      await t.clickAndLoad(page.getByRole('button', { name: 'Save the closure' }))
      check(await page.locator('.govuk-error-summary').isVisible(), 'no error summary for a closure with no date')
      check(await page.getByLabel('Name', { exact: true }).inputValue() === 'A closure with no date', 'the name typed was lost')
      await t.audit('closure days with an error')
    }
  }
]
