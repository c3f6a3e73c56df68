// The page for a path that is neither an API endpoint nor a client route: branded and in the reader's
// language (Accept-Language, or ?lang=), instead of express's bare "Cannot GET".
export type PageLang = 'en' | 'zh'

const WORDS: Record<PageLang, { app: string; title: string; body: string; lobby: string; other: string }> = {
  en: {
    app: 'Negotiation Room',
    title: 'This page does not exist',
    body: 'Check the link you were given. If it came from your bank or the organiser of your negotiation, ask them for a new one.',
    lobby: 'Go to the lobby',
    other: '中文',
  },
  zh: {
    app: '协商室',
    title: '页面不存在',
    body: '请检查您收到的链接。如果链接来自您的银行或协商组织者，请向他们索取新的链接。',
    lobby: '前往大厅',
    other: 'English',
  },
}

/** `?lang=` first, then the Accept-Language entry with the highest weight among the two we speak; English otherwise. */
export function pageLang(query: unknown, acceptLanguage: string | undefined): PageLang {
  if (query === 'zh' || query === 'en') return query
  let best: { lang: PageLang; q: number } | null = null
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';')
    const lang = tag.startsWith('zh') ? 'zh' : tag.startsWith('en') ? 'en' : null
    if (!lang) continue
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const q = qParam ? Number(qParam.slice(2)) : 1
    if (Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang, q }
  }
  return best?.lang ?? 'en'
}

export function notFoundPage(lang: PageLang): string {
  const w = WORDS[lang]
  const other: PageLang = lang === 'en' ? 'zh' : 'en'
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${w.title} · ${w.app}</title>
<style>
body { font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2933; background: #f6f7f9; margin: 0 }
main { max-width: 34rem; margin: 4rem auto; padding: 0 1.5rem }
.brand { color: #2f5fb3; font-weight: 600; font-size: .85rem; letter-spacing: .04em; margin: 0 }
.top { display: flex; justify-content: space-between; align-items: center }
h1 { font-size: 1.5rem; margin: 1.5rem 0 .5rem }
a { color: #2f5fb3 }
</style></head>
<body><main>
<div class="top"><p class="brand">${w.app}</p><a href="?lang=${other}" lang="${other === 'zh' ? 'zh-CN' : 'en'}">${w.other}</a></div>
<h1>${w.title}</h1>
<p>${w.body}</p>
<p><a href="/lobby">${w.lobby}</a></p>
</main></body></html>
`
}
