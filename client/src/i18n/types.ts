// The shape every feature's table shares: English defines the keys, Chinese is typed against it.

export type Lang = 'en' | 'zh'

/** A translation of `En`: the same keys, no more and no fewer, each a string. */
export type Messages<En> = { readonly [K in keyof En]: string }

/** Values for a message's `{name}` placeholders. */
export type Params = Record<string, string | number>
