// Signing in, and the session time-out warning (usability goal U4, WCAG 2.2.1).
import { check, sql } from './lib.mjs'

const WARN_BEFORE_MS = 2 * 60 * 1000

export const tests = [
  {
    name: 'a wrong password shows the error summary; the right one opens My work',
    async run (t) {
      const { page } = t
      await t.visit('/sign-in', 'sign-in')
      check(await page.getByRole('heading', { level: 1 }).textContent() === 'Sign in to Safeguard', 'sign-in heading')
      await t.screenshot('sign-in')

      await t.signIn('asha.patel', 'not-the-password')
      check(new URL(page.url()).pathname === '/sign-in', `a wrong password went on to ${page.url()}`)
      check((await page.title()).startsWith('Error: '), `the title does not say Error: (${await page.title()})`)
      const summary = page.locator('.govuk-error-summary')
      check(await summary.isVisible(), 'no error summary after a wrong password')
      const text = await summary.textContent()
      check(text.includes('There is a problem') && text.includes('Enter a correct username and password'),
        `error summary says: ${text.trim()}`)
      // GOV.UK Frontend moves focus to the summary so that screen reader users hear it first.
      check(await summary.evaluate((el) => el === document.activeElement), 'the error summary does not have focus')
      check(await page.getByLabel('Username').inputValue() === 'asha.patel', 'the username typed was not kept')
      check(await page.getByLabel('Password').inputValue() === '', 'the password was sent back into the page')
      await t.audit('sign-in with an error')

      await t.signIn('asha.patel')
      check(new URL(page.url()).pathname === '/', `signing in ended on ${page.url()}`)
      check(await page.getByRole('heading', { level: 1 }).textContent() === 'My work', 'My work is not the first page')
    }
  },
  {
    name: 'the time-out warning comes 2 minutes before the session ends and one click keeps it',
    async run (t) {
      const { page } = t
      // The page's timers run on a clock the test moves; the server keeps real time.
      await page.clock.install()
      await t.signInFresh('cara.nolan')
      const userId = t.userId('cara.nolan')
      const deadline = Number(await page.locator('body').getAttribute('data-session-expires-at')) * 1000
      check(deadline > Date.now(), `the layout gives no session deadline in the future (${deadline})`)
      const dialog = page.locator('#app-timeout-dialog')
      check(!(await dialog.isVisible()), 'the warning shows straight after signing in')

      // Up to 2 minutes and 2 seconds before the end: nothing yet. Then 2 minutes before: the warning.
      let now = await page.evaluate(() => Date.now())
      await page.clock.fastForward(deadline - WARN_BEFORE_MS - 2000 - now)
      check(!(await dialog.isVisible()), 'the warning came more than 2 minutes before the end')
      await page.clock.fastForward(3000)
      await dialog.waitFor({ state: 'visible', timeout: 5000 })
      check((await dialog.getByRole('heading').first().textContent()) === 'You are about to be signed out',
        'the warning heading')
      check(/1 minute 5\d seconds|2 minutes/.test(await dialog.textContent()), 'the warning does not say how long is left')
      const stay = dialog.getByRole('button', { name: 'Stay signed in' })
      check(await stay.evaluate((el) => el === document.activeElement), 'focus is not on "Stay signed in"')
      await t.audit('session time-out warning')

      // Make the server's side match the page's: the session has been idle a long time (so the next request writes
      // a new deadline) and ends in 10 minutes. The page's clock goes back to real time to meet the answer.
      const before = new Date(Date.now() + 10 * 60 * 1000).toISOString().replace(/\.\d+Z$/, 'Z')
      sql(t.db, `UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00Z', expires_at = '${before}' ` +
        `WHERE user_id = '${userId}'`)
      await page.clock.setSystemTime(Date.now())
      const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/session')
      await stay.click()
      check((await answered).status() === 200, 'GET /api/v1/session failed')
      await dialog.waitFor({ state: 'hidden', timeout: 5000 })
      const after = sql(t.db, `SELECT expires_at FROM sessions WHERE user_id = '${userId}'`)[0]
      check(after > before, `the session was not extended (${before} -> ${after})`)

      // The warning is due again 2 minutes before the new deadline, and when that passes the dialog says the
      // session has ended and offers to sign in again, back to this page.
      const newDeadline = Date.parse(after)
      now = await page.evaluate(() => Date.now())
      await page.clock.fastForward(newDeadline - WARN_BEFORE_MS + 1000 - now)
      await dialog.waitFor({ state: 'visible', timeout: 5000 })
      await page.clock.fastForward(WARN_BEFORE_MS + 1000)
      const signIn = dialog.getByRole('link', { name: 'Sign in again' })
      await signIn.waitFor({ state: 'visible', timeout: 5000 })
      check(await signIn.getAttribute('href') === '/sign-in?next=%2F', 'the sign-in link does not come back here')
      await t.audit('session ended dialog')
    }
  }
]
