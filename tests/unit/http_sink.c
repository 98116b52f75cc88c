/*
 * http_sink.c: a small HTTP server for the SMS tests (the generic HTTP
 * backend's gateway). Usage: http-sink PORT LOG CODES
 * It answers each request with the next status code of CODES ("503,201":
 * the first request 503, every later one 201) and appends the request to
 * LOG: its request line, the headers the test looks at, the body, and a
 * line "--". Code 0 answers nothing for 30 s (a gateway that hangs);
 * code 1 closes the connection without a word (it took the request and
 * the reply was lost); 1000 + N answers N after two seconds. It prints "ready" once listening; it runs until
 * killed.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static void serve(int c, FILE *log, int code)
{
    char buf[65536], *end, *p;
    size_t len = 0;
    long want = 0;
    ssize_t got;

    while (len < sizeof buf - 1 &&
           (got = read(c, buf + len, sizeof buf - 1 - len)) > 0) {
        len += (size_t)got;
        buf[len] = '\0';
        if ((end = strstr(buf, "\r\n\r\n"))) {
            for (p = buf; *p && strncasecmp(p, "\r\nContent-Length:", 17);
                 p++)
                ;
            if (!*p)
                p = NULL;
            want = p ? atol(p + 17) : 0;
            if ((long)(len - (size_t)(end + 4 - buf)) >= want)
                break;
        }
    }
    buf[len] = '\0';
    end = strstr(buf, "\r\n\r\n");
    if (end) {
        char *line, *save;
        *end = '\0';
        for (line = strtok_r(buf, "\r\n", &save); line;
             line = strtok_r(NULL, "\r\n", &save))
            if (line == buf || !strncasecmp(line, "Authorization:", 14) ||
                !strncasecmp(line, "Idempotency-Key:", 16) ||
                !strncasecmp(line, "Content-Type:", 13))
                fprintf(log, "%s\n", line);
        fprintf(log, "%s\n--\n", end + 4);
        fflush(log);
    }
    if (code == 0) {
        sleep(30);
        close(c);
        return;
    }
    if (code == 1) {
        close(c);
        return;
    }
    if (code > 1000) {
        sleep(2);
        code -= 1000;
    }
    snprintf(buf, sizeof buf, "HTTP/1.1 %d Status\r\nContent-Type: "
             "application/json\r\nContent-Length: 16\r\nConnection: close"
             "\r\n\r\n{\"status\":\"%03d\"}", code, code);
    if (write(c, buf, strlen(buf)) < 0)
        perror("write");
    close(c);
}

int main(int argc, char **argv)
{
    struct sockaddr_in a;
    int s, one = 1, codes[32], n = 0, i = 0;
    char *list, *tok, *save;
    FILE *log;

    if (argc != 4)
        return 2;
    list = argv[3];
    for (tok = strtok_r(list, ",", &save); tok && n < 32;
         tok = strtok_r(NULL, ",", &save))
        codes[n++] = atoi(tok);
    if (!(log = fopen(argv[2], "a")) || n == 0)
        return 2;
    s = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)atoi(argv[1]));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 8) != 0) {
        perror("http-sink");
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0)
            continue;
        serve(c, log, codes[i < n ? i : n - 1]);
        i++;
    }
}
