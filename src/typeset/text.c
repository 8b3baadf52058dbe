/* text.c: French typographic normalisation and inline markup (see text.h).
 *
 * Normalisation runs four passes over a paragraph: quotes, spaces, numbers with their
 * units, accented capitals. Each is a plain scan of the text into a new string. */
#include "text.h"
#include "capitals.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <string.h>

#define NBSP "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"

static char *spaces_pass(cl_arena *a, const char *s, size_t n);

static bool is_space_cp(uint32_t c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
static bool is_nb_cp(uint32_t c) { return c == 0xA0 || c == 0x202F; }

static bool is_letterish(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || c == ')' || c == 0xBB ||
           c == '*' || c == '"' || c == 0x201D;
}

/* The last code point written to b (0 when empty). */
static uint32_t last_cp(const cl_buf *b, size_t back)
{
    size_t k = b->len;
    uint32_t c = 0;
    for (size_t i = 0; i <= back; i++) {
        if (k == 0)
            return 0;
        size_t end = k;
        k--;
        while (k > 0 && ((unsigned char)b->data[k] & 0xC0) == 0x80)
            k--;
        cl_utf8_decode(b->data + k, end - k, &c);
    }
    return c;
}

/* Pass 1: straight and English double quotes → « » at the first level, “ ” inside. A
 * straight quote opens after a space, an opening bracket or quote, or at the start
 * (also before a '*' of markup that does), and closes otherwise. */
static char *quotes_pass(cl_arena *a, const char *s, size_t n)
{
    if (!memchr(s, '"', n) && !strstr(s, "\xE2\x80\x9C") && !strstr(s, "\xE2\x80\x9D"))
        return cl_arena_strndup(a, s, n);
    cl_buf b = {0};
    int depth = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t l = cl_utf8_decode(s + i, n - i, &c);
        if (!l) {
            l = 1;
            c = (unsigned char)s[i];
        }
        bool open = false, close = false;
        if (c == '"') {
            uint32_t p = last_cp(&b, 0);
            if (p == '*') /* markup: look before it */
                p = last_cp(&b, 1);
            open = p == 0 || p == ' ' || p == '\n' || p == '\t' || p == '(' || p == '[' || p == 0xA0 ||
                   p == 0xAB || p == 0x201C || p == 0x2013 || p == 0x2014 || p == '/' || depth == 0;
            close = !open;
        } else if (c == 0x201C) {
            open = true;
        } else if (c == 0x201D) {
            close = true;
        } else if (c == 0xAB) {
            depth++;
        } else if (c == 0xBB && depth > 0) {
            depth--;
        }
        if (open) {
            cl_buf_puts(&b, depth == 0 ? "\xC2\xAB" : "\xE2\x80\x9C");
            depth++;
        } else if (close) {
            depth = depth > 0 ? depth - 1 : 0;
            cl_buf_puts(&b, depth == 0 ? "\xC2\xBB" : "\xE2\x80\x9D");
        } else {
            cl_buf_put(&b, s + i, l);
        }
        i += l;
    }
    char *out = b.failed ? NULL : cl_arena_strndup(a, cl_buf_str(&b), b.len);
    cl_buf_free(&b);
    return out;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Abbreviations that stay with the number after them ("p. 27", "n° 108"). */
static size_t abbrev_before_number(const char *s, size_t end)
{
    static const char *const abbr[] = {"p.", "pp.", "n\xC2\xB0", "N\xC2\xB0", "vol.", "t.", "art.", "chap.", "fig.",
                                       "no", "nos", NULL};
    for (size_t k = 0; abbr[k]; k++) {
        size_t l = strlen(abbr[k]);
        if (end >= l && !memcmp(s + end - l, abbr[k], l) &&
            (end == l || s[end - l - 1] == ' ' || s[end - l - 1] == '(' || (unsigned char)s[end - l - 1] == 0xA0))
            return l;
    }
    return 0;
}

/* Does the token at s[i..] (after a space) belong to the number before it? A unit or
 * sign (%, €, °…), or the word it counts (28 min, 71 ans, 30 octobre, 47 personnes): a
 * word in lowercase that is not a function word ("4 et 5", "en 2019 de"). */
static bool follows_number(const char *s, size_t i, size_t n)
{
    static const char *const function_words[] = {
        "et", "ou", "o\xC3\xB9", "de", "du", "des", "d", "la", "le", "les", "l", "\xC3\xA0", "au", "aux", "en",
        "par", "pour", "sur", "dans", "qui", "que", "qu", "a", "est", "sont", "ont", "se", "sa", "son", "ses",
        "il", "elle", "on", "ne", "pas", "avec", "sans", "entre", "vers", "chez", "dont", "mais", "donc", "car",
        "ni", "puis", "soit", "contre", "selon", "apr\xC3\xA8s", "avant", "depuis", "un", "une", NULL};
    if (i >= n)
        return false;
    uint32_t c;
    size_t l = cl_utf8_decode(s + i, n - i, &c);
    if (!l)
        return false;
    if (c == '%' || c == 0x2030 || c == 0x20AC || c == '$' || c == 0xA3 || c == 0xB0)
        return true;
    if (!((c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7)))
        return false;
    size_t e = i;
    while (e < n) {
        uint32_t d;
        size_t k = cl_utf8_decode(s + e, n - e, &d);
        if (!k || !cl_utf8_is_letter(d))
            break;
        e += k;
    }
    for (size_t k = 0; function_words[k]; k++)
        if (strlen(function_words[k]) == e - i && !memcmp(s + i, function_words[k], e - i))
            return false;
    return true;
}

/* Is the token ending at s[end) a number ("71", "3,5", "(2019")? Not a part of an
 * address or a code ("?b=1&c=2", "n°1139"). */
static bool number_before(const char *s, size_t end)
{
    if (end == 0 || !is_digit(s[end - 1])) /* "2019, p. 4": the comma ends the number */
        return false;
    size_t k = end;
    while (k > 0 && (is_digit(s[k - 1]) || s[k - 1] == ',' || s[k - 1] == '.'))
        k--;
    if (k == end || !is_digit(s[k]))
        return false;
    return k == 0 || s[k - 1] == ' ' || s[k - 1] == '(' || s[k - 1] == '-' || (unsigned char)s[k - 1] == 0xA0 ||
           (unsigned char)s[k - 1] == 0xAF; /* after U+202F */
}

/* Pass 3: no break between a number and its unit or what it counts, nor between p., n°,
 * vol. and their number; "n°1780" and "p.27" get their space (no-break). */
static char *numbers_pass(cl_arena *a, const char *s, size_t n)
{
    cl_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' && i > 0 && i + 1 < n) {
            bool nb = false;
            if (number_before(s, i)) {
                /* its unit or what it counts; or the next group of three digits of a
                 * number written "3 000" (the first group has one to three digits) */
                size_t g = 0;
                while (g < i && is_digit(s[i - 1 - g]))
                    g++;
                bool thousands = g <= 3 && i + 4 <= n && is_digit(s[i + 1]) && is_digit(s[i + 2]) &&
                                 is_digit(s[i + 3]) && (i + 4 == n || !is_digit(s[i + 4]));
                nb = follows_number(s, i + 1, n) || thousands;
            }
            if (!nb && is_digit(s[i + 1]) && abbrev_before_number(s, i))
                nb = true;
            if (nb) {
                cl_buf_puts(&b, "\xC2\xA0");
                continue;
            }
        }
        cl_buf_putc(&b, c);
        /* "n°1780", "p.27", "80%": the missing space, no-break */
        if (i + 1 < n && is_digit(s[i + 1]) && abbrev_before_number(s, i + 1) &&
            (c == '.' || (unsigned char)c == 0xB0))
            cl_buf_puts(&b, "\xC2\xA0");
        else if (number_before(s, i + 1) && i + 1 < n &&
                 (s[i + 1] == '%' || (n - i - 1 >= 3 && !memcmp(s + i + 1, "\xE2\x82\xAC", 3))))
            cl_buf_puts(&b, "\xC2\xA0");
    }
    char *out = b.failed ? NULL : cl_arena_strndup(a, cl_buf_str(&b), b.len);
    cl_buf_free(&b);
    return out;
}

/* Pass 4: capitals with their accent, from the reviewed list (capitals.h). An entry
 * matches a whole word (or words) at a word start; a single word in capitals matches
 * too ("ETAT" → "ÉTAT"). */
static bool word_start(const char *s, size_t i)
{
    if (i == 0)
        return true;
    size_t k = i - 1;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    uint32_t c;
    if (!cl_utf8_decode(s + k, i - k, &c))
        return true;
    return !cl_utf8_is_letter(c) && !is_digit((char)c);
}

static bool word_end(const char *s, size_t i, size_t n)
{
    if (i >= n)
        return true;
    uint32_t c;
    if (!cl_utf8_decode(s + i, n - i, &c))
        return true;
    return !cl_utf8_is_letter(c) && !is_digit((char)c);
}

/* The capital form of a UTF-8 string into b. */
static void put_upper(cl_buf *b, const char *s)
{
    for (size_t i = 0, n = strlen(s); i < n;) {
        uint32_t c;
        size_t l = cl_utf8_decode(s + i, n - i, &c);
        if (!l) {
            l = 1;
            c = (unsigned char)s[i];
        }
        char tmp[4];
        cl_buf_put(b, tmp, cl_utf8_encode(cl_utf8_upper(c), tmp));
        i += l;
    }
}

static char *capitals_pass(cl_arena *a, const char *s, size_t n)
{
    cl_buf b = {0}, up = {0};
    for (size_t i = 0; i < n;) {
        if ((s[i] == 'A' || s[i] == 'E') && word_start(s, i)) {
            const cl_capital *hit = NULL;
            size_t hl = 0;
            bool caps = false;
            for (unsigned k = 0; k < cl_n_capitals && !hit; k++) {
                const char *f = cl_capitals[k].from;
                size_t l = strlen(f);
                bool elided = l && (f[l - 1] == '\'' || (l >= 3 && !strcmp(f + l - 3, "\xE2\x80\x99")));
                if (l <= n - i && !memcmp(s + i, f, l) && (elided || word_end(s, i + l, n))) {
                    hit = &cl_capitals[k];
                    hl = l;
                } else if (!strchr(f, ' ') && l > 1) { /* the word in capitals */
                    cl_buf_clear(&up);
                    put_upper(&up, f);
                    if (up.len <= n - i && !memcmp(s + i, up.data, up.len) && word_end(s, i + up.len, n)) {
                        hit = &cl_capitals[k];
                        hl = up.len;
                        caps = true;
                    }
                }
            }
            if (hit) {
                if (caps)
                    put_upper(&b, hit->to);
                else
                    cl_buf_puts(&b, hit->to);
                i += hl;
                continue;
            }
        }
        cl_buf_putc(&b, s[i++]);
    }
    char *out = b.failed ? NULL : cl_arena_strndup(a, cl_buf_str(&b), b.len);
    cl_buf_free(&b);
    cl_buf_free(&up);
    return out;
}

char *cl_text_french(cl_arena *a, const cl_textopts *o, const char *s, size_t n)
{
    char *q = quotes_pass(a, s, n);
    if (!q)
        return NULL;
    char *t = spaces_pass(a, q, strlen(q));
    if (!t)
        return NULL;
    char *u = numbers_pass(a, t, strlen(t));
    if (!u || (o && o->keep_capitals))
        return u;
    return capitals_pass(a, u, strlen(u));
}

/* Pass 2: French spaces (see text.h). */
static char *spaces_pass(cl_arena *a, const char *s, size_t n)
{
    /* decode into code points once */
    uint32_t stackbuf[512];
    uint32_t *cps = n < 512 ? stackbuf : cl_arena_alloc(a, (n + 1) * sizeof(uint32_t));
    if (!cps)
        return NULL;
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t l = cl_utf8_decode(s + i, n - i, &c);
        if (!l)
            l = 1;
        cps[m++] = c;
        i += l;
    }
    cl_buf b = {0};
    bool pending_space = false; /* a space seen, not yet written */
    bool at_start = true;
    for (size_t i = 0; i < m; i++) {
        uint32_t c = cps[i];
        uint32_t next = i + 1 < m ? cps[i + 1] : 0;
        if (is_space_cp(c)) {
            if (!at_start)
                pending_space = true;
            continue;
        }
        /* punctuation that takes a non-breaking space before it */
        if (c == ':' || c == ';' || c == '!' || c == '?' || c == 0xBB) {
            bool after_letter = false;
            if (!pending_space && b.len) {
                uint32_t prev = 0;
                /* last code point written */
                size_t k = b.len;
                while (k > 0 && ((unsigned char)b.data[k - 1] & 0xC0) == 0x80)
                    k--;
                if (k > 0)
                    k--;
                cl_utf8_decode(b.data + k, b.len - k, &prev);
                after_letter = is_letterish(prev) && !is_nb_cp(prev) && prev != 0xAB;
                /* "http:" , "10:30", "?!" are left alone */
                if (c == ':' && !(next == ' ' || next == 0 || next == '\n'))
                    after_letter = false;
                if ((c == '?' || c == '!') && !(next == ' ' || next == 0 || next == '\n' || next == ')' || next == 0xBB || next == '.' || next == ','))
                    after_letter = false;
                if (c == 0xBB && (prev == '.' || prev == '?' || prev == '!' || prev == 0x2026 || prev == '*'))
                    after_letter = true;
            }
            if (pending_space || after_letter) {
                cl_buf_puts(&b, c == ':' || c == 0xBB ? NBSP : NNBSP);
                pending_space = false;
            }
            char tmp[4];
            cl_buf_put(&b, tmp, cl_utf8_encode(c, tmp));
            at_start = false;
            continue;
        }
        if (pending_space) {
            /* " - " between words is an en dash */
            if (c == '-' && (next == ' ' || next == '\n')) {
                cl_buf_puts(&b, " \xE2\x80\x93");
                at_start = false;
                continue;
            }
            cl_buf_putc(&b, ' ');
            pending_space = false;
        }
        if (c == 0xAB) { /* « : non-breaking space after */
            cl_buf_puts(&b, "\xC2\xAB" NBSP);
            while (i + 1 < m && (is_space_cp(cps[i + 1]) || is_nb_cp(cps[i + 1])))
                i++;
            at_start = false;
            continue;
        }
        if (c == '\'') {
            cl_buf_puts(&b, "\xE2\x80\x99");
        } else if (c == '.' && next == '.' && i + 2 < m && cps[i + 2] == '.') {
            cl_buf_puts(&b, "\xE2\x80\xA6");
            i += 2;
        } else {
            char tmp[4];
            cl_buf_put(&b, tmp, cl_utf8_encode(c, tmp));
        }
        at_start = false;
    }
    char *out = b.failed ? NULL : cl_arena_strndup(a, cl_buf_str(&b), b.len);
    cl_buf_free(&b);
    return out;
}

/* Split normalised text into spans on * and ** markers. A lone '*' that does not open a
 * closed pair stays as text. */
cl_rich cl_rich_inline(cl_arena *a, const cl_textopts *o, const char *s, size_t n, unsigned style)
{
    cl_rich r = {0};
    char *t = cl_text_french(a, o, s, n);
    if (!t)
        return r;
    size_t len = strlen(t);
    size_t cap = 4;
    for (size_t i = 0; i < len; i++)
        cap += t[i] == '*';
    r.spans = CL_NEWN(a, cl_span, cap);
    if (!r.spans)
        return r;
    unsigned cur = 0;
    size_t start = 0;
    for (size_t i = 0; i < len;) {
        if (t[i] == '*') {
            size_t k = (i + 1 < len && t[i + 1] == '*') ? 2 : 1;
            unsigned bit = k == 2 ? CL_ST_BOLD : CL_ST_ITALIC;
            bool closing = cur & bit;
            /* an opening marker needs a matching closing one later */
            bool ok = closing;
            if (!closing && i + k < len && t[i + k] != ' ') {
                /* an opener is followed by text and has a closer later: a marker of the
                 * same width preceded by text ("3 * 4" and a stray "**" stay as text) */
                for (size_t j = i + k; j + k <= len && !ok; j++) {
                    if (t[j] != '*')
                        continue;
                    size_t run = 1;
                    while (j + run < len && t[j + run] == '*')
                        run++;
                    if ((run == k || (run == 3 && cur)) && t[j - 1] != ' ')
                        ok = true;
                    j += run - 1;
                }
            }
            if (ok) {
                if (i > start)
                    r.spans[r.n++] = (cl_span){t + start, i - start, style | cur};
                cur ^= bit;
                i += k;
                start = i;
                continue;
            }
        }
        i++;
    }
    if (len > start)
        r.spans[r.n++] = (cl_span){t + start, len - start, style | cur};
    return r;
}

cl_rich cl_rich_plain(cl_arena *a, const cl_textopts *o, const char *s, unsigned style)
{
    cl_rich r = {0};
    if (!s)
        return r;
    char *t = cl_text_french(a, o, s, strlen(s));
    r.spans = CL_NEW(a, cl_span);
    if (!t || !r.spans)
        return (cl_rich){0};
    r.spans[0] = (cl_span){t, strlen(t), style};
    r.n = 1;
    return r;
}

cl_para *cl_markup_parse(cl_arena *a, const cl_textopts *o, const char *text, size_t *n)
{
    *n = 0;
    if (!text)
        return NULL;
    size_t cap = 2;
    for (const char *p = text; *p; p++)
        cap += *p == '\n';
    cl_para *out = CL_NEWN(a, cl_para, cap);
    if (!out)
        return NULL;
    const char *p = text;
    while (*p) {
        /* skip blank lines */
        while (*p == '\n' || *p == ' ')
            p++;
        if (!*p)
            break;
        const char *start = p;
        bool item = p[0] == '-' && p[1] == ' ';
        /* a paragraph ends at a blank line; a list item ends at the end of its line */
        const char *end = p;
        for (;;) {
            const char *nl = strchr(end, '\n');
            if (!nl) {
                end = end + strlen(end);
                break;
            }
            const char *after = nl + 1;
            const char *q = after;
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q == '\n' || *q == 0 || item || (after[0] == '-' && after[1] == ' ')) {
                end = nl;
                break;
            }
            end = after;
        }
        if (item)
            start += 2;
        out[*n].kind = item ? CL_PARA_ITEM : CL_PARA_TEXT;
        out[*n].rich = cl_rich_inline(a, o, start, (size_t)(end - start), 0);
        (*n)++;
        p = end;
    }
    return out;
}
