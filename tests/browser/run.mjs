// Runs the browser tests (tests/browser/test_*.mjs) against a running Safeguard server in Debian's Chromium,
// headless, through playwright-core. scripts/browser-tests.sh starts the server and calls this; to run it by hand
// against a server of your own (seeded with `safeguard seed-demo`):
//
//   SAFEGUARD_URL=http://127.0.0.1:8080 SAFEGUARD_TEST_DB=var/safeguard.db node tests/browser/run.mjs [FILTER...]
//
// FILTER keeps the tests whose file or test name contains it. Each test module exports
// `tests = [{ name, run: async (t) => {...} }]`; every test gets a new browser context (no cookies, no storage) and
// `t` from lib.mjs. A test fails if it throws, if any page it audited has an axe violation or scrolls sideways at
// 320 px, or if a page raised an uncaught script error. Prints a line per test; with SAFEGUARD_TEST_RESULTS set,
// appends "browser FILE PASSED FAILED" per file to that file (the format of scripts/run-tests.sh).
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'

import { AXE_TAGS, DESKTOP, makeContext } from './lib.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const base = (process.env.SAFEGUARD_URL || '').replace(/\/$/, '')
const db = process.env.SAFEGUARD_TEST_DB
const resultsFile = process.env.SAFEGUARD_TEST_RESULTS
const screenshotDir = process.env.SAFEGUARD_SCREENSHOT_DIR || join(root, 'build', 'screenshots')
const logDir = process.env.SAFEGUARD_TEST_LOGS || join(root, 'build', 'test-logs')
const TEST_TIMEOUT_MS = 120000
const filters = process.argv.slice(2)

if (!base || !db) {
  console.error('run.mjs: set SAFEGUARD_URL (the server) and SAFEGUARD_TEST_DB (its database)')
  process.exit(2)
}

function withTimeout (promise, ms, what) {
  let timer
  const limit = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer))
}

const profile = mkdtempSync(join(tmpdir(), 'sgbrowser-'))
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // Playwright gives Chromium a fresh --user-data-dir of its own for every launch (and removes it afterwards).
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  env: { ...process.env, HOME: profile, TZ: 'Europe/London' }
})

// A promise a failed test left behind must not end the run: report it with whatever test is running.
let stray = []
process.on('unhandledRejection', (reason) => stray.push(`unhandled rejection: ${reason && reason.message}`))

let passed = 0
let failed = 0
const audited = []
const files = readdirSync(here).filter((f) => /^test_.*\.mjs$/.test(f)).sort()
for (const file of files) {
  const mod = await import(pathToFileURL(join(here, file)).href)
  const name = basename(file, '.mjs')
  let filePassed = 0
  let fileFailed = 0
  for (const test of mod.tests) {
    const full = `${name}: ${test.name}`
    if (filters.length && !filters.some((f) => full.includes(f))) continue
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'Europe/London' })
    const page = await context.newPage()
    page.setDefaultTimeout(15000)
    page.setDefaultNavigationTimeout(15000)
    const problems = []
    stray = problems
    page.on('pageerror', (error) => problems.push(`script error on ${page.url()}: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
        problems.push(`CSP violation on ${page.url()}: ${message.text()}`)
      }
    })
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname
      if (response.status() >= 500 || (response.status() === 404 && path.startsWith('/assets/'))) {
        problems.push(`${response.status()} for ${response.request().method()} ${path}`)
      }
    })
    const t = makeContext({ page, context, base, db, screenshotDir, problems, audited })
    const start = Date.now()
    let error = null
    try {
      await withTimeout(test.run(t), TEST_TIMEOUT_MS, full)
    } catch (e) {
      error = e
    }
    const secs = ((Date.now() - start) / 1000).toFixed(1)
    if (!error && problems.length === 0) {
      filePassed++
      console.log(`  ok    browser/${full}  (${secs}s)`)
    } else {
      fileFailed++
      const shot = join(logDir, `browser-${name}-${mod.tests.indexOf(test)}.png`)
      await page.screenshot({ path: shot }).catch(() => {})
      console.log(`  FAIL  browser/${full}  (${secs}s): page at failure ${page.url()}, screenshot ${shot}`)
      if (error) console.log('        ' + String(error.stack || error).split('\n').slice(0, 6).join('\n        '))
      for (const p of problems) console.log('        ' + p.replace(/\n/g, '\n        '))
    }
    await context.close()
  }
  passed += filePassed
  failed += fileFailed
  if (resultsFile && filePassed + fileFailed > 0) {
    appendFileSync(resultsFile, `browser ${name} ${filePassed} ${fileFailed}\n`)
  }
}
await browser.close()
rmSync(profile, { recursive: true, force: true })
console.log(`  axe (${AXE_TAGS.join(', ')}) ran on ` +
  `${audited.length} page states: ${[...new Set(audited.map((a) => a.replace(/ @\d+px$/, '')))].length} pages ` +
  'at 1280 px and 320 px')
process.exit(failed ? 1 : 0)
