import { mount } from 'svelte'
import App from './App.svelte'
import { applyDocumentLang } from './lib/i18n.svelte.ts'
import { reloadOnNewToken } from './lib/session.ts'
import './app.css'

applyDocumentLang()
reloadOnNewToken()
const target = document.getElementById('app')
if (!target) throw new Error('#app is missing from index.html')
export default mount(App, { target })
