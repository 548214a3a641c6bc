// Safeguard's browser code: starts the GOV.UK and MoJ Frontend components and saves drafts as people type.
// Every journey works without it (progressive enhancement); it only adds convenience on top of plain forms.
import { initAll as initGovukFrontend } from './govuk-frontend.min.js'
import { initAll as initMojFrontend } from './moj-frontend.min.js'

// How long typing must pause before a draft is sent: short enough that a draft is on the server within
// 2 seconds of the last keystroke, long enough not to post on every key.
const AUTOSAVE_DELAY_MS = 1500

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
      } else if (response.status === 401 || response.status === 403) {
        dirty = true
        region.textContent = 'Draft not saved because you have been signed out. Your answers are still on this page.'
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
  })
  window.addEventListener('pagehide', () => {
    if (!dirty) return
    clearTimeout(timer)
    timer = null
    if (navigator.sendBeacon(url, draftBody(form))) dirty = false
  })
}

initGovukFrontend()
initMojFrontend()
document.querySelectorAll('form[data-autosave]').forEach(initAutosave)
