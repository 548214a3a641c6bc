// Shared helpers for the browser tests: signing in, the accessibility and reflow check every visited page goes
// through, screenshots, and reading the test server's database. tests/browser/run.mjs hands each test a `t` built
// from these.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

// Evaluated through the DevTools protocol rather than added as a <script>: the server's Content-Security-Policy
// (rightly) refuses inline scripts, and the test must not weaken it.
const AXE_SOURCE = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
// WCAG 2.0, 2.1 and 2.2, levels A and AA (usability goal U8). axe's one rule for a criterion new in 2.2 (target size,
// 2.5.8) is tagged wcag22aa; no rule carries a wcag22a tag.
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 320, height: 640 }
export const PASSWORD = 'safeguard-demo-2026'

export class TestFailure extends Error {}

export function check (condition, message) {
  if (!condition) throw new TestFailure(message)
}

// Runs SQL against the test server's database with the sqlite3 command-line tool (the server keeps running:
// WAL lets both in, and the busy timeout covers a write in progress). Returns the rows, one string per line.
export function sql (db, statement) {
  const out = execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 10000', db, statement], { encoding: 'utf8' })
  return out.split('\n').filter((line) => line !== '')
}

// Makes the helpers one test uses. `problems` collects accessibility and reflow failures so that one run reports
// every page that has them, not just the first; the runner fails the test if any were found.
export function makeContext ({ page, context, base, db, screenshotDir, problems, audited }) {
  async function audit (label) {
    const original = page.viewportSize() || DESKTOP
    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size)
      const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined')
      if (!hasAxe) await page.evaluate(AXE_SOURCE)
      let timer
      const result = await Promise.race([
        page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
          AXE_TAGS),
        new Promise((resolve, reject) => {
          timer = setTimeout(() => reject(new TestFailure(`axe did not finish on ${label} (is the page's clock ` +
            'paused? axe needs its timers)')), 30000)
        })
      ]).finally(() => clearTimeout(timer))
      audited.push(`${label} @${size.width}px`)
      for (const v of result.violations) {
        const nodes = v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')}: ${n.html.slice(0, 160)}` +
          (n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, '\n        ')}` : ''))
        problems.push(`axe ${v.id} (${v.impact}) on ${label} at ${size.width}px: ${v.help}\n${nodes.join('\n')}`)
      }
      if (size === PHONE) {
        // WCAG 1.4.10 and U7: nothing may need sideways scrolling at 320 CSS pixels.
        const overflow = await page.evaluate(() => {
          const width = document.documentElement.scrollWidth
          if (width <= 320) return null
          const wide = [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > 321 && el.getClientRects().length)
            .slice(-3).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''))
          return `${width}px wide (${wide.join(', ')})`
        })
        if (overflow) problems.push(`horizontal scrolling on ${label} at 320px: ${overflow}`)
      }
    }
    await page.setViewportSize(original)
  }

  return {
    page,
    context,
    base,
    db,
    audit,
    url: (path) => base + path,

    // Goes to a page of the service, checks it answered, and audits it.
    async visit (path, label) {
      const response = await page.goto(base + path)
      check(response && response.status() < 400, `${path} answered ${response && response.status()}`)
      await audit(label || path)
      return response
    },

    // Clicks something that submits a form or follows a link, and waits for the next page to load.
    async clickAndLoad (locator) {
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()])
    },

    // Fills in the sign-in form on the current page and submits it.
    async signIn (username, password = PASSWORD) {
      await page.getByLabel('Username').fill(username)
      await page.getByLabel('Password').fill(password)
      await this.clickAndLoad(page.getByRole('button', { name: 'Sign in' }))
    },

    // Goes to /sign-in and signs in as username; lands on My work.
    async signInFresh (username) {
      await page.goto(base + '/sign-in')
      await this.signIn(username)
      check(new URL(page.url()).pathname === '/', `signing in as ${username} ended on ${page.url()}`)
    },

    // A viewport-only screenshot at desktop width for the README (docs/screenshots when asked for, else build/).
    async screenshot (name) {
      mkdirSync(screenshotDir, { recursive: true })
      await page.setViewportSize(DESKTOP)
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: false })
    },

    userId (username) {
      const rows = sql(db, `SELECT id FROM users WHERE username = '${username.replace(/'/g, "''")}'`)
      check(rows.length === 1, `no user ${username}`)
      return rows[0]
    }
  }
}
