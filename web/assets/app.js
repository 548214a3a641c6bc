// Safeguard's browser code: starts the GOV.UK and MoJ Frontend components, saves drafts as people type and warns
// before the session times out. Every journey works without it (progressive enhancement); it only adds convenience
// on top of plain forms.
import { initAll as initGovukFrontend } from './govuk-frontend.min.js'
import { initAll as initMojFrontend } from './moj-frontend.min.js'

// How long typing must pause before a draft is sent: short enough that a draft is on the server within
// 2 seconds of the last keystroke, long enough not to post on every key.
const AUTOSAVE_DELAY_MS = 1500
// The time-out warning opens this long before the session ends (WCAG 2.2.1 asks for at least 20 seconds; usability
// goal U4 for 2 minutes).
const WARN_BEFORE_MS = 2 * 60 * 1000
// A draft the server refused (the session had ended) waits in this tab's sessionStorage under this prefix plus the
// form key, until the form is opened again after signing in. sessionStorage dies with the tab, so nothing typed
// stays behind on a shared computer.
const PENDING_PREFIX = 'safeguard-draft:'

// Every autosaving form's "save now", so the time-out warning can send what is unsaved before the session ends.
const draftSavers = new Set()

// What this page knows of its session: when it ends (from the layout, then from every draft save and "Stay signed
// in") and whether the server has refused a save for want of one. A beacon sent without a session would be
// redirected to the sign-in page, and that page's answer would replace the sign-in form's token in the cookie
// while the person is signing in, so then unsaved answers stay in the tab instead.
const session = {
  endsAt: Number(document.body.dataset.sessionExpiresAt) * 1000 || 0,
  refused: false,
  over () {
    return this.refused || (this.endsAt > 0 && Date.now() >= this.endsAt)
  }
}
document.addEventListener('app:session-extended', (event) => {
  session.endsAt = event.detail.expiresAt
  session.refused = false
})

function csrfToken (form) {
  const field = form.querySelector('input[name="csrf"]')
  if (field) return field.value
  const meta = document.querySelector('meta[name="csrf-token"]')
  return meta ? meta.content : ''
}

// The form's fields as application/x-www-form-urlencoded, the one body format the server's form parser reads.
// Files are left out: a draft holds what was typed, uploads go with the real submit.
function draftBody (form) {
  const body = new URLSearchParams()
  for (const [key, value] of new FormData(form)) {
    if (typeof value === 'string') body.append(key, value)
  }
  if (!body.has('csrf')) body.set('csrf', csrfToken(form))
  return body
}

function statusRegion (form) {
  let region = form.querySelector('.app-autosave-status')
  if (!region) {
    region = document.createElement('p')
    region.className = 'govuk-body-s app-autosave-status'
    form.appendChild(region)
  }
  region.setAttribute('role', 'status')
  region.setAttribute('aria-live', 'polite')
  return region
}

function timeNow () {
  return new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
}

function pendingKey (form) {
  const key = form.querySelector('input[name="form_key"]')
  return key ? PENDING_PREFIX + key.value : null
}

// Keeps what the server could not take (the session had ended) in this tab until the form is opened again.
function keepPending (form) {
  const key = pendingKey(form)
  if (!key) return
  const pairs = []
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && name !== 'csrf' && name !== 'form_key') pairs.push([name, value])
  }
  try {
    window.sessionStorage.setItem(key, JSON.stringify(pairs))
  } catch (error) {
    // Storage full or turned off: the answers are still on the page, and the status line says they are unsaved.
  }
}

function dropPending (form) {
  const key = pendingKey(form)
  if (!key) return
  try {
    window.sessionStorage.removeItem(key)
  } catch (error) {
    // nothing was kept
  }
}

// Puts a draft the server refused back into the re-opened form. Hidden fields (the new CSRF token, the form key)
// keep the values the server has just drawn. Returns whether anything was restored.
function restorePending (form) {
  const key = pendingKey(form)
  let pairs = null
  try {
    pairs = key ? JSON.parse(window.sessionStorage.getItem(key) || 'null') : null
  } catch (error) {
    pairs = null
  }
  if (!Array.isArray(pairs)) return false
  const values = new Map()
  for (const [name, value] of pairs) {
    if (!values.has(name)) values.set(name, [])
    values.get(name).push(value)
  }
  for (const field of form.elements) {
    if (!field.name || field.type === 'hidden' || field.type === 'file' || field.type === 'submit') continue
    const sent = values.get(field.name) || []
    if (field.type === 'checkbox' || field.type === 'radio') {
      field.checked = sent.includes(field.value)
    } else if (sent.length) {
      field.value = sent[0]
    }
  }
  return true
}

// Posts the form to its data-autosave URL once typing stops, one request at a time so that an older draft never
// lands after a newer one, and hands any unsaved change to sendBeacon when the page is left.
export function initAutosave (form) {
  const url = form.dataset.autosave
  if (!url || form.dataset.autosaveReady) return
  form.dataset.autosaveReady = 'true'
  const region = statusRegion(form)
  let timer = null
  let dirty = false // the form holds changes the server may not have
  let saving = false
  let typedWhileSaving = false

  async function save () {
    timer = null
    if (!dirty) return
    if (saving) {
      typedWhileSaving = true
      return
    }
    dirty = false
    saving = true
    typedWhileSaving = false
    try {
      const response = await fetch(url, {
        method: 'POST',
        body: draftBody(form),
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'X-CSRF-Token': csrfToken(form) }
      })
      if (response.ok) {
        region.textContent = `Draft saved at ${timeNow()}`
        dropPending(form)
        const answer = await response.json().catch(() => null)
        if (answer && answer.session_expires_at) {
          // Saving kept the session alive: the time-out warning counts from the new deadline.
          document.dispatchEvent(new CustomEvent('app:session-extended',
            { detail: { expiresAt: Number(answer.session_expires_at) * 1000 } }))
        }
      } else if (response.status === 401 || response.status === 403) {
        dirty = true
        session.refused = true
        keepPending(form)
        region.textContent = 'Draft not saved because you have been signed out. Sign in again from this page and ' +
          'your answers will be put back.'
      } else {
        dirty = true
        region.textContent = 'Draft not saved. Your answers are still on this page.'
      }
    } catch (error) {
      dirty = true
      region.textContent = 'Draft not saved: no connection. Your answers are still on this page.'
    } finally {
      saving = false
      // A failed save is not retried on a timer (that would hammer a server that is down or a session that has
      // ended); the next change or leaving the page sends the whole form again. Typing during the request is
      // saved straight after it.
      if (typedWhileSaving && timer === null) timer = setTimeout(save, AUTOSAVE_DELAY_MS)
    }
  }

  function changed () {
    dirty = true
    clearTimeout(timer)
    timer = setTimeout(save, AUTOSAVE_DELAY_MS)
  }

  form.addEventListener('input', changed)
  form.addEventListener('change', changed)
  form.addEventListener('submit', () => {
    clearTimeout(timer)
    timer = null
    dirty = false
    dropPending(form)
  })
  window.addEventListener('pagehide', () => {
    if (!dirty) return
    clearTimeout(timer)
    timer = null
    // A beacon cannot tell us whether the session still held, so the tab keeps a copy as well.
    keepPending(form)
    if (session.over()) return
    if (navigator.sendBeacon(url, draftBody(form))) dirty = false
  })
  draftSavers.add(() => {
    clearTimeout(timer)
    return save()
  })
  if (restorePending(form)) {
    region.textContent = 'Your answers from before you were signed out have been put back.'
    changed()
  }
}

function minutesAndSeconds (ms) {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const minutes = Math.floor(total / 60)
  const seconds = total % 60
  const parts = []
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`)
  if (seconds || !minutes) parts.push(`${seconds} second${seconds === 1 ? '' : 's'}`)
  return parts.join(' ')
}

// The time-out warning: a modal dialog WARN_BEFORE_MS before the session ends, with one action to stay signed in
// (any request to the server moves the idle deadline on; GET /api/v1/session answers the new one). The deadline
// comes from the layout (data-session-expires-at, epoch seconds) and from every draft save.
export function initTimeoutWarning () {
  const dialog = document.getElementById('app-timeout-dialog')
  const first = Number(document.body.dataset.sessionExpiresAt) * 1000
  if (!dialog || !first || typeof dialog.showModal !== 'function') return
  const warning = dialog.querySelector('[data-timeout-state="warning"]')
  const ended = dialog.querySelector('[data-timeout-state="ended"]')
  const countdown = dialog.querySelector('[data-timeout-countdown]')
  const announce = dialog.querySelector('[data-timeout-announce]')
  const stay = dialog.querySelector('[data-timeout-stay]')
  const signIn = dialog.querySelector('[data-timeout-sign-in]')
  let deadline = first
  let warnTimer = null
  let tickTimer = null
  let lastAnnounced = null

  function schedule (newDeadline) {
    deadline = newDeadline
    clearTimeout(warnTimer)
    warnTimer = setTimeout(open, Math.max(0, deadline - WARN_BEFORE_MS - Date.now()))
  }

  function showEnded () {
    session.refused = true
    clearInterval(tickTimer)
    tickTimer = null
    clearTimeout(warnTimer)
    warning.hidden = true
    ended.hidden = false
    dialog.setAttribute('aria-labelledby', 'app-timeout-ended-heading')
    dialog.setAttribute('aria-describedby', 'app-timeout-ended-text')
    signIn.href = '/sign-in?next=' + encodeURIComponent(window.location.pathname)
    if (!dialog.open) dialog.showModal()
    signIn.focus()
  }

  function tick () {
    const left = deadline - Date.now()
    if (left <= 0) {
      showEnded()
      return
    }
    countdown.textContent = minutesAndSeconds(left)
    // Screen readers hear the time left once a minute and at 20 seconds, not every second.
    const step = left > 60000 ? Math.ceil(left / 60000) + 'm' : left > 20000 ? '1m' : '20s'
    if (step !== lastAnnounced) {
      lastAnnounced = step
      announce.textContent = `You will be signed out in ${minutesAndSeconds(left)}.`
    }
  }

  function open () {
    if (deadline - Date.now() > WARN_BEFORE_MS) {
      schedule(deadline) // another request moved the deadline on while we waited
      return
    }
    // Whatever is typed but unsaved goes to the server now, while the session still holds.
    draftSavers.forEach((saveNow) => saveNow())
    warning.hidden = false
    ended.hidden = true
    dialog.setAttribute('aria-labelledby', 'app-timeout-heading')
    dialog.setAttribute('aria-describedby', 'app-timeout-text')
    lastAnnounced = null
    tick()
    if (!dialog.open) dialog.showModal()
    stay.focus()
    clearInterval(tickTimer)
    tickTimer = setInterval(tick, 1000)
  }

  async function staySignedIn () {
    let answer = null
    try {
      const response = await fetch('/api/v1/session', {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' }
      })
      answer = response.ok ? await response.json() : null
    } catch (error) {
      answer = null
    }
    const next = answer && Date.parse(answer.expires_at)
    if (!next) {
      showEnded()
      return
    }
    clearInterval(tickTimer)
    tickTimer = null
    if (dialog.open) dialog.close()
    document.dispatchEvent(new CustomEvent('app:session-extended', { detail: { expiresAt: next } }))
    if (next - Date.now() <= WARN_BEFORE_MS) {
      // The absolute limit of a session is near and cannot be moved: say so once more at the end.
      deadline = next
      clearTimeout(warnTimer)
      warnTimer = setTimeout(showEnded, Math.max(0, next - Date.now()))
      return
    }
    schedule(next)
  }

  stay.addEventListener('click', staySignedIn)
  // Escape closes the dialog; take it as "stay signed in", the choice that loses nothing.
  dialog.addEventListener('cancel', () => {
    if (ended.hidden) staySignedIn()
  })
  document.addEventListener('app:session-extended', (event) => {
    if (!dialog.open && event.detail.expiresAt > deadline) schedule(event.detail.expiresAt)
  })
  schedule(first)
}

initGovukFrontend()
initMojFrontend()
document.querySelectorAll('form[data-autosave]').forEach(initAutosave)
initTimeoutWarning()
