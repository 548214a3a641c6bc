// Recording a new child: the GOV.UK error pattern with everything typed kept, and drafts that survive the end of
// a session (usability goal U4: nothing typed is ever lost).
import { check, sql } from './lib.mjs'

const FORM = '/children/new'

function draftOf (t, username) {
  const rows = sql(t.db, `SELECT data FROM drafts WHERE form_key = '${FORM}' AND user_id = '${t.userId(username)}'`)
  return rows.length ? JSON.parse(rows[0]) : null
}

// Ends the user's sessions the way a time-out does: the idle deadline has passed.
function expireSessions (t, username) {
  sql(t.db, `UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z' WHERE user_id = '${t.userId(username)}'`)
}

// Stops the page's clock so that the test decides when the autosave's pause has passed, then lets 2 seconds of
// page time go by: the draft must have been sent by then (U4: saved within 2 s of the last keystroke).
async function pauseClock (page) {
  const now = await page.evaluate(() => Date.now())
  await page.clock.pauseAt(now + 1000)
}

function draftPosted (page) {
  const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/drafts' &&
    r.request().method() === 'POST', { timeout: 10000 })
  posted.catch(() => {}) // a test that fails before awaiting it reports its own error instead
  return posted
}

async function twoSecondsLaterTheDraftIsSent (page, expectStatus = 200, sent = draftPosted(page)) {
  await page.clock.runFor(2000)
  const response = await sent
  check(response.status() === expectStatus, `the draft save answered ${response.status()}, not ${expectStatus}`)
  return response
}

export const tests = [
  {
    name: 'a mistake shows the error summary and inline errors, keeps what was typed, and can be put right',
    async run (t) {
      const { page } = t
      await t.signInFresh('asha.patel')
      await t.visit(FORM, 'new child form')
      await page.getByLabel('Forenames').fill('Kai')
      await page.getByLabel('Day').first().fill('31')
      await page.getByLabel('Month').first().fill('2')
      await page.getByLabel('Year').first().fill('2020')
      await page.getByLabel('Postcode').fill('CM1 1AA')
      await t.clickAndLoad(page.getByRole('button', { name: 'Save child' }))

      check((await page.title()).startsWith('Error: '), `the title does not say Error: (${await page.title()})`)
      const summary = page.locator('.govuk-error-summary')
      check(await summary.isVisible(), 'no error summary')
      check(await summary.evaluate((el) => el === document.activeElement), 'the error summary does not have focus')
      const links = await summary.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, a.hash]))
      check(links.length >= 2, `the summary lists ${links.length} problems, not the surname and the date of birth`)
      for (const [text, hash] of links) {
        const target = page.locator(hash)
        check(await target.count() === 1, `the summary link "${text}" goes to ${hash}, which is not on the page`)
        check(await target.evaluate((el) => ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)),
          `the summary link "${text}" goes to ${hash}, which is not a field`)
      }
      check(await page.locator('#surname-error').isVisible(), 'no inline error by the surname')
      check(await page.locator('#dob-error').isVisible(), 'no inline error by the date of birth')
      check(await page.getByLabel('Forenames').inputValue() === 'Kai', 'the forenames typed were lost')
      check(await page.locator('#dob-day').inputValue() === '31', 'the day typed was lost')
      check(await page.getByLabel('Postcode').inputValue() === 'CM1 1AA', 'the postcode typed was lost')
      await t.screenshot('new-child-errors')
      // Following a summary link puts the cursor in the field.
      await summary.locator('a[href="#surname"]').click()
      check(await page.locator('#surname').evaluate((el) => el === document.activeElement),
        'the summary link does not move focus to the surname')
      check(await page.locator('#surname').getAttribute('aria-describedby') === 'surname-error',
        'the surname field is not described by its error')
      await t.audit('new child with errors')

      await page.getByLabel('Surname').fill('Testington')
      await page.locator('#dob-day').fill('28')
      await t.clickAndLoad(page.getByRole('button', { name: 'Save child' }))
      check(/^\/children\/chd_/.test(new URL(page.url()).pathname), `saving the child went to ${page.url()}`)
      check((await page.getByRole('heading', { level: 1 }).textContent()).trim() === 'Kai Testington',
        'the new child page heading')
      await t.audit('the new child')
      check(draftOf(t, 'asha.patel') === null, 'the draft was kept after the child was saved')
    }
  },
  {
    name: 'a session that ends mid-form: sign in again and the form is back as it was typed (U4)',
    async run (t) {
      const { page } = t
      await page.clock.install()
      await t.signInFresh('ben.okafor')
      await t.visit(FORM, 'new child form')
      await pauseClock(page)
      await page.getByLabel('Forenames').fill('Marnie')
      await page.getByLabel('Surname').fill('Lostwell')
      await page.getByLabel('The child is not born yet').check()
      await page.getByLabel('Address').fill('12 Kept Lane\nDemo Town')
      await twoSecondsLaterTheDraftIsSent(page)
      const status = page.locator('.app-autosave-status')
      check((await status.textContent()).startsWith('Draft saved at'), `the status says: ${await status.textContent()}`)
      const draft = draftOf(t, 'ben.okafor')
      check(draft && draft.forenames === 'Marnie' && draft.address === '12 Kept Lane\nDemo Town' &&
        draft.is_unborn === 'yes', `the stored draft is ${JSON.stringify(draft)}`)
      check(!('csrf' in draft), 'the draft stored the CSRF token')
      await page.clock.resume() // axe, which the audits run, needs the page's timers

      expireSessions(t, 'ben.okafor')
      await page.reload()
      const url = new URL(page.url())
      check(url.pathname === '/sign-in' && url.searchParams.get('next') === FORM,
        `after the session ended the form went to ${page.url()}`)
      check((await page.locator('.govuk-inset-text').textContent()).includes('session ended'),
        'the sign-in page does not say the session ended')
      await t.audit('sign-in after the session ended')

      await t.signIn('ben.okafor')
      check(new URL(page.url()).pathname === FORM, `signing in again went to ${page.url()}, not back to the form`)
      check(await page.getByLabel('Forenames').inputValue() === 'Marnie', 'the forenames were lost')
      check(await page.getByLabel('Surname').inputValue() === 'Lostwell', 'the surname was lost')
      check(await page.getByLabel('Address').inputValue() === '12 Kept Lane\nDemo Town', 'the address was lost')
      check(await page.getByLabel('The child is not born yet').isChecked(), 'the checkbox was lost')
      check((await page.locator('.govuk-inset-text').textContent()).includes('draft'), 'the page does not say it ' +
        'holds a draft')
      await t.audit('new child form from the draft')
    }
  },
  {
    name: 'typing after the session has ended is kept in the tab and put back after signing in (U4)',
    async run (t) {
      const { page } = t
      await page.clock.install()
      await t.signInFresh('dan.hughes')
      await t.visit(FORM, 'new child form')
      await pauseClock(page)
      await page.getByLabel('Forenames').fill('Rowan')
      await twoSecondsLaterTheDraftIsSent(page)

      expireSessions(t, 'dan.hughes')
      await page.getByLabel('Surname').fill('Afterwards')
      await twoSecondsLaterTheDraftIsSent(page, 401)
      const status = page.locator('.app-autosave-status')
      await page.waitForFunction(() => document.querySelector('.app-autosave-status').textContent.includes('signed out'))
      check(draftOf(t, 'dan.hughes').surname !== 'Afterwards', 'a draft was saved without a session')

      await page.reload()
      check(new URL(page.url()).pathname === '/sign-in', `after the session ended the form went to ${page.url()}`)
      const restoredSent = draftPosted(page)
      await t.signIn('dan.hughes')
      check(new URL(page.url()).pathname === FORM, `signing in again went to ${page.url()}, not back to the form`)
      check(await page.getByLabel('Forenames').inputValue() === 'Rowan', 'what the server had was lost')
      check(await page.getByLabel('Surname').inputValue() === 'Afterwards', 'what was typed after the end was lost')
      check((await status.textContent()).includes('put back'), `the status says: ${await status.textContent()}`)
      // ... and it goes to the server within 2 seconds of the page opening.
      await twoSecondsLaterTheDraftIsSent(page, 200, restoredSent)
      check(draftOf(t, 'dan.hughes').surname === 'Afterwards', 'what was put back did not reach the server')
      await page.clock.resume()
      await t.audit('new child form with answers put back')
    }
  }
]
