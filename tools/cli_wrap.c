/*
 * Text output that fits a terminal: each line wrapped at spaces to the
 * output width, continuation lines indented under the line's text. Width
 * is display columns (CJK characters count two, cli_display_width). The
 * JSON outputs carry the same text unwrapped.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

int cli_out_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col >= 40 && ws.ws_col < CLI_WIDTH)
        return ws.ws_col;
    return CLI_WIDTH;
}

static size_t u8len(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Display width of the n bytes at s. */
static int width_of(const char *s, size_t n)
{
    char buf[256];
    int w = 0;
    while (n) {
        size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
        /* Never split a character between two chunks. */
        while (k < n && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        memcpy(buf, s, k);
        buf[k] = 0;
        w += cli_display_width(buf);
        s += k;
        n -= k;
    }
    return w;
}

static void spaces(int n)
{
    for (int i = 0; i < n; i++)
        fputc(' ', stdout);
}

/* Wraps one line (no newline in it) to width, continuation lines indented
   by indent columns. */
static void wrap_line(const char *s, size_t n, int indent, int width)
{
    if (indent > width / 2)
        indent = width / 2;
    size_t i = 0;
    int col = 0, has_word = 0;
    /* The line's own leading spaces stay. */
    while (i < n && s[i] == ' ') {
        fputc(' ', stdout);
        i++, col++;
    }
    while (i < n) {
        size_t gap = i;
        while (i < n && s[i] == ' ')
            i++;
        size_t nsp = i - gap;
        size_t a = i;
        while (i < n && s[i] != ' ')
            i += u8len((unsigned char)s[i]);
        if (i > n)
            i = n;
        if (a == i)
            break; /* trailing spaces */
        int w = width_of(s + a, i - a);
        if (has_word && col + (int)nsp + w > width) {
            fputc('\n', stdout);
            spaces(indent);
            col = indent;
        } else {
            spaces((int)nsp);
            col += (int)nsp;
        }
        /* A word longer than the room left is cut between characters
           (text without spaces: Chinese, long key paths). */
        size_t k = a;
        while (k < i) {
            size_t l = u8len((unsigned char)s[k]);
            int cw = width_of(s + k, l);
            if (col + cw > width && col > indent) {
                fputc('\n', stdout);
                spaces(indent);
                col = indent;
            }
            fwrite(s + k, 1, l, stdout);
            col += cw;
            k += l;
        }
        has_word = 1;
    }
    fputc('\n', stdout);
}

/* Each '\n'-separated line of text, wrapped; "a\n" is "a" and an empty
   line. */
void cli_wrap(int indent, const char *text)
{
    int width = cli_out_width();
    const char *s = text;
    for (;;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        wrap_line(s, n, indent, width);
        if (!nl)
            break;
        s = nl + 1;
    }
}

void cli_wrapf(int indent, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *buf = NULL;
    int k = vasprintf(&buf, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    cli_wrap(indent, buf);
    free(buf);
}
