// A partner's referral as GOV.UK question pages (issue 8 part 3): the whole journey from the home page to the
// confirmation, with a refusal, a branch, a Change from the check page, every kind of page audited by axe at 1280 and
// 320 px; and a page being typed when the session ends comes back after signing in (U4).
import { check, sql } from './lib.mjs'

const REFERRER = 'lee.fraser'

async function heading (page) {
  return (await page.getByRole('heading', { level: 1 }).textContent()).trim()
}

async function continueTo (t, path) {
  await t.clickAndLoad(t.page.getByRole('button', { name: 'Continue' }))
  const at = new URL(t.page.url())
  check(at.pathname + at.search === path, `Continue went to ${t.page.url()}, not ${path}`)
}

export const tests = [
  {
    name: 'a partner refers a child one question at a time, checks the answers, changes one and sends it',
    async run (t) {
      const { page } = t
      await t.signInFresh(REFERRER)
      await t.audit('partner home page')
      await t.clickAndLoad(page.getByRole('link', { name: 'Make a referral' }).first())
      check(new URL(page.url()).pathname === '/refer', `the home page link went to ${page.url()}`)
      await t.audit('referral start page')
      await t.clickAndLoad(page.getByRole('button', { name: 'Start now' }))

      // A radio question: Continue with nothing chosen gives the error summary, focused, linking to the first radio.
      check(await heading(page) === 'Is the child in immediate danger?', 'the first question')
      await t.clickAndLoad(page.getByRole('button', { name: 'Continue' }))
      check((await page.title()).startsWith('Error: '), `the title does not say Error: (${await page.title()})`)
      const summary = page.locator('.govuk-error-summary')
      check(await summary.evaluate((el) => el === document.activeElement), 'the error summary does not have focus')
      await summary.locator('a[href="#danger"]').click()
      check(await page.locator('#danger').evaluate((el) => el === document.activeElement),
        'the summary link does not move focus to the first radio')
      await t.audit('question with an error')
      await page.getByLabel('No').check()
      await continueTo(t, '/refer/unborn')
      await t.audit('radio question')
      await page.getByLabel('No').check()
      await continueTo(t, '/refer/child-name')
      await page.getByLabel('First names').fill('Jesse')
      await page.getByLabel('Last name').fill('Browserwell')
      await t.audit('question of several inputs')
      await continueTo(t, '/refer/dob')
      await page.getByLabel('Day').fill('12')
      await page.getByLabel('Month').fill('5')
      await page.getByLabel('Year').fill('2017')
      await t.audit('date question')
      await continueTo(t, '/refer/address')
      await page.getByLabel('Address').fill('9 Test Road, Basildon')
      await page.getByLabel('Postcode').fill('SS14 1AA')
      await continueTo(t, '/refer/concern')
      await page.getByLabel('What are you worried about?').fill('Jesse said an adult at home hit him with a belt.')
      await t.audit('long answer question')
      await continueTo(t, '/refer/opinion')
      // The back link goes to the question before, with its answer kept.
      await t.clickAndLoad(page.getByRole('link', { name: 'Back' }))
      check((await page.getByLabel('What are you worried about?').inputValue()).includes('belt'),
        'going back lost the answer')
      await continueTo(t, '/refer/opinion')
      await continueTo(t, '/refer/agreement') // optional
      await page.getByLabel('No, I have not asked them').check()
      await continueTo(t, '/refer/not-sought')
      await page.getByLabel('Asking could mean evidence is lost').check()
      await continueTo(t, '/refer/your-role')
      await page.getByLabel('Job title').fill('Youth worker')
      await page.getByLabel('Organisation').fill('Basildon Youth Club')
      await continueTo(t, '/refer/feedback')
      await page.getByLabel('In Safeguard').check()
      await continueTo(t, '/refer/contact')
      await page.getByLabel('Telephone').fill('01268 000000')
      await continueTo(t, '/refer/check')

      check(await heading(page) === 'Check your answers before sending your referral', 'the check page')
      await t.audit('check your answers')
      await t.screenshot('partner-referral-check')
      await t.clickAndLoad(page.locator('#change-concern'))
      await page.getByLabel('What are you worried about?').fill('Jesse said his stepfather hit him with a belt.')
      await continueTo(t, '/refer/check')
      check((await page.locator('#answers').textContent()).includes('stepfather'), 'the change is not shown')

      await t.clickAndLoad(page.getByRole('button', { name: 'Send referral' }))
      check(/^\/refer\/done\/con_/.test(new URL(page.url()).pathname), `sending went to ${page.url()}`)
      const reference = (await page.locator('#reference').textContent()).trim()
      check((await page.locator('.govuk-panel__title').textContent()).trim() === 'Referral sent', 'no panel')
      check((await page.locator('main').textContent()).includes('within one working day'), 'no next steps')
      await t.audit('referral sent')
      const rows = sql(t.db, `SELECT channel, parental_not_sought_reason FROM contacts WHERE id = '${reference}'`)
      check(rows.length === 1 && rows[0] === 'ONLINE_PORTAL|RISK_LOSS_OF_EVIDENCE', `the contact is ${rows}`)

      await t.clickAndLoad(page.getByRole('link', { name: 'See the referrals you have made' }))
      check((await page.locator('main').textContent()).includes(reference), 'the referral is not listed')
      await t.audit('your referrals')
    }
  },
  {
    name: 'a question being typed when the session ends is there again after signing in (U4)',
    async run (t) {
      const { page } = t
      await page.clock.install()
      await t.signInFresh(REFERRER)
      // Answers up to the concern, through the pages.
      for (const [path, fill] of [
        ['/refer/danger', async () => page.getByLabel('No').check()],
        ['/refer/unborn', async () => page.getByLabel('No').check()],
        ['/refer/child-name', async () => {
          await page.getByLabel('First names').fill('Remy')
          await page.getByLabel('Last name').fill('Timeoutwell')
        }],
        ['/refer/dob', async () => {
          await page.getByLabel('Day').fill('1')
          await page.getByLabel('Month').fill('1')
          await page.getByLabel('Year').fill('2015')
        }],
        ['/refer/address', async () => {}]
      ]) {
        await page.goto(t.url(path))
        await fill()
        await t.clickAndLoad(page.getByRole('button', { name: 'Continue' }))
      }
      check(new URL(page.url()).pathname === '/refer/concern', `the answers ended on ${page.url()}`)
      const now = await page.evaluate(() => Date.now())
      await page.clock.pauseAt(now + 1000)
      const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/drafts' &&
        r.request().method() === 'POST', { timeout: 10000 })
      await page.getByLabel('What are you worried about?').fill('Typed, never continued, then the session ended')
      await page.clock.runFor(2000)
      check((await posted).status() === 200, 'the page was not autosaved')
      await page.clock.resume()

      const user = t.userId(REFERRER)
      sql(t.db, `UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z' WHERE user_id = '${user}'`)
      await page.reload()
      check(new URL(page.url()).pathname === '/sign-in', `after the session ended the page went to ${page.url()}`)
      await t.signIn(REFERRER)
      check(new URL(page.url()).pathname === '/refer/concern', `signing in again went to ${page.url()}`)
      check(await page.getByLabel('What are you worried about?').inputValue() ===
        'Typed, never continued, then the session ended', 'what was typed was lost')
      await t.visit('/refer', 'referral start page with answers saved')
      check((await page.locator('main').textContent()).includes('Continue your referral'),
        'the start page does not offer to carry on')
    }
  }
]
