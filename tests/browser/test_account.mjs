// One's own account in the browser: turning on the private calendar feed of one's deadlines (issue 4 part 4), with
// every page state audited with axe at 1280 and 320 px.
import { check } from './lib.mjs'

export const tests = [
  {
    name: 'a social worker puts her deadlines in her calendar and turns the address off again',
    async run (t) {
      const { page } = t
      await t.signInFresh('ben.okafor')
      await t.visit('/account', 'account')
      await t.clickAndLoad(page.getByRole('link', { name: 'Show your deadlines in your calendar' }))
      await t.audit('calendar feed: off')
      await t.clickAndLoad(page.getByRole('button', { name: 'Turn on a calendar address' }))
      await t.audit('calendar feed: the address, shown once')
      const url = await page.getByLabel(/Copy this address/).inputValue()
      check(url.includes('/calendar-feeds/'), `the address shown is ${url}`)
      // A calendar application fetches it with no session: a fresh request context has no cookies.
      const anonymous = await t.context.request.fetch(url, { headers: { Cookie: '' } })
      check(anonymous.status() === 200, `the feed answered ${anonymous.status()}`)
      check((await anonymous.text()).includes('BEGIN:VCALENDAR'), 'the feed is not an iCalendar document')
      await t.visit('/account/calendar', 'calendar feed: on')
      check(!(await page.content()).includes(url), 'the address is shown a second time')
      await t.clickAndLoad(page.getByRole('button', { name: 'Turn off the calendar address' }))
      await t.audit('calendar feed: turned off')
      check((await page.content()).includes('The calendar address is turned off'), 'no confirmation after turning off')
      const after = await t.context.request.fetch(url, { headers: { Cookie: '' } })
      check(after.status() === 404, `the turned-off feed answered ${after.status()}`)
    }
  }
]
