using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WeComPS.Sandbox
{
    /// <summary>What a <see cref="ProxyRule"/> does to a request.</summary>
    public enum ProxyFault
    {
        /// <summary>The connection is dropped before the request is forwarded: it never reaches the sandbox.</summary>
        Drop,
        /// <summary>The request is forwarded, and applied, and then the connection is dropped: the answer is lost.</summary>
        DropAnswer,
        /// <summary>An errcode is answered (HTTP 200) without forwarding.</summary>
        ErrCode,
        /// <summary>An HTTP status is answered without forwarding.</summary>
        Http,
        /// <summary>The request waits <see cref="ProxyRule.Code"/> ms and is then forwarded and answered, even if its client has gone: a slow link.</summary>
        Delay,
    }

    /// <summary>
    /// A fault for requests to one API path: <c>path=drop</c>, <c>path=drop-answer</c>, <c>path=errcode:N</c>,
    /// <c>path=http:N</c> or <c>path=delay:MS</c>, optionally <c>*T</c> (only T times; every time without it) and <c>+S</c> (after skipping
    /// the first S matching requests), e.g. <c>user/create=drop-answer*1</c> or <c>gettoken=http:503+1</c>.
    /// </summary>
    public sealed class ProxyRule
    {
        private int _matched;
        private int _applied;

        public string Path { get; set; } = "";
        public ProxyFault Fault { get; set; }
        /// <summary>The errcode or HTTP status answered.</summary>
        public int Code { get; set; }
        /// <summary>How many requests it faults; null for every one.</summary>
        public int? Times { get; set; }
        /// <summary>How many matching requests pass before it faults.</summary>
        public int Skip { get; set; }

        public static ProxyRule Parse(string text)
        {
            var parts = text.Split(new[] { '=' }, 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new FormatException($"'{text}' is not a proxy rule such as user/create=drop-answer*1.");
            }

            var rule = new ProxyRule { Path = parts[0].Trim('/') };
            var spec = parts[1];
            int Take(char marker)
            {
                var at = spec.IndexOf(marker);
                if (at < 0)
                {
                    return -1;
                }

                var end = spec.IndexOfAny(new[] { '*', '+' }, at + 1);
                var value = int.Parse(end < 0 ? spec.Substring(at + 1) : spec.Substring(at + 1, end - at - 1), CultureInfo.InvariantCulture);
                spec = spec.Remove(at, (end < 0 ? spec.Length : end) - at);
                return value;
            }

            var times = Take('*');
            var skip = Take('+');
            rule.Times = times < 0 ? null : times;
            rule.Skip = Math.Max(0, skip);
            var kind = spec.Split(':');
            (rule.Fault, rule.Code) = kind[0] switch
            {
                "drop" => (ProxyFault.Drop, 0),
                "drop-answer" => (ProxyFault.DropAnswer, 0),
                "errcode" => (ProxyFault.ErrCode, int.Parse(kind[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
                "http" => (ProxyFault.Http, int.Parse(kind[1], CultureInfo.InvariantCulture)),
                "delay" => (ProxyFault.Delay, int.Parse(kind[1], CultureInfo.InvariantCulture)),
                _ => throw new FormatException($"'{text}': the fault is drop, drop-answer, errcode:N, http:N or delay:MS."),
            };
            return rule;
        }

        /// <summary>True when this rule faults the request to <paramref name="path"/> now (and counts it).</summary>
        internal bool Applies(string path)
        {
            if (!string.Equals(path, Path, StringComparison.Ordinal))
            {
                return false;
            }

            lock (this)
            {
                if (++_matched <= Skip || (Times is { } times && _applied >= times))
                {
                    return false;
                }

                _applied++;
                return true;
            }
        }
    }

    /// <summary>
    /// A fault injector that sits between a client and a sandbox on loopback: each request is forwarded to the sandbox
    /// unless a <see cref="ProxyRule"/> drops it first, drops its answer after forwarding, or answers an errcode or an
    /// HTTP status itself; it counts what reached the sandbox (<see cref="Forwarded"/>). <c>POST /proxy/rule?rule=</c>,
    /// <c>GET /proxy/stats</c> and <c>POST /proxy/reset</c> drive it from another process; every other path is forwarded.
    /// </summary>
    public sealed class FaultProxy : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        private readonly ConcurrentQueue<ProxyRule> _rules = new ConcurrentQueue<ProxyRule>();
        private readonly ConcurrentDictionary<string, int> _forwarded = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _received = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        private readonly Uri _target;

        private FaultProxy(WebApplication app, Uri target)
        {
            _app = app;
            _target = target;
        }

        /// <summary>The endpoint clients use, ending in /cgi-bin/.</summary>
        public Uri BaseUri { get; private set; } = null!;

        /// <summary>Starts a proxy on 127.0.0.1 (port 0 takes a free one) for the sandbox at <paramref name="target"/> (its /cgi-bin/ endpoint).</summary>
        public static async Task<FaultProxy> StartAsync(Uri target, int port = 0)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            var proxy = new FaultProxy(app, new Uri(target, "/"));
            app.MapPost("/proxy/rule", (string rule) =>
            {
                try
                {
                    proxy.Add(ProxyRule.Parse(rule));
                    return Results.Ok();
                }
                catch (FormatException ex)
                {
                    return Results.BadRequest(ex.Message);
                }
            });
            app.MapGet("/proxy/stats", () => Results.Json(new { forwarded = new SortedDictionary<string, int>(proxy._forwarded), received = new SortedDictionary<string, int>(proxy._received) }));
            app.MapPost("/proxy/reset", () =>
            {
                proxy.Reset();
                return Results.Ok();
            });
            app.Map("/{**path}", proxy.ServeAsync);
            await app.StartAsync().ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            proxy.BaseUri = new Uri(address.TrimEnd('/') + "/cgi-bin/");
            return proxy;
        }

        public void Add(ProxyRule rule) => _rules.Enqueue(rule);

        public void Add(string rule) => Add(ProxyRule.Parse(rule));

        /// <summary>How many requests to <paramref name="path"/> (below /cgi-bin/) reached the sandbox.</summary>
        public int Forwarded(string path) => _forwarded.TryGetValue(path, out var n) ? n : 0;

        /// <summary>How many requests to <paramref name="path"/> reached the proxy.</summary>
        public int Received(string path) => _received.TryGetValue(path, out var n) ? n : 0;

        /// <summary>Forgets the rules and the counts.</summary>
        public void Reset()
        {
            while (_rules.TryDequeue(out _))
            {
            }

            _forwarded.Clear();
            _received.Clear();
        }

        private async Task ServeAsync(HttpContext context)
        {
            var full = context.Request.Path.Value ?? "";
            var path = full.StartsWith("/cgi-bin/", StringComparison.Ordinal) ? full.Substring("/cgi-bin/".Length) : full.TrimStart('/');
            _received.AddOrUpdate(path, 1, (_, n) => n + 1);
            var rule = _rules.FirstOrDefault(r => r.Applies(path));
            switch (rule?.Fault)
            {
                case ProxyFault.Drop:
                    context.Abort();
                    return;
                case ProxyFault.ErrCode:
                    context.Response.ContentType = "application/json; charset=utf-8";
                    await context.Response.WriteAsync($"{{\"errcode\":{rule.Code},\"errmsg\":\"injected by the proxy\"}}").ConfigureAwait(false);
                    return;
                case ProxyFault.Http:
                    context.Response.StatusCode = rule.Code;
                    return;
            }

            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, full.TrimStart('/') + context.Request.QueryString.Value));
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body).ConfigureAwait(false);
            if (body.Length > 0)
            {
                request.Content = new ByteArrayContent(body.ToArray());
                if (context.Request.ContentType is { } type)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                }
            }

            // A delayed request reaches the sandbox whether or not its client still waits for the answer.
            var forwarding = context.RequestAborted;
            if (rule?.Fault == ProxyFault.Delay)
            {
                await Task.Delay(rule.Code).ConfigureAwait(false);
                forwarding = CancellationToken.None;
            }

            using var answer = await _http.SendAsync(request, forwarding).ConfigureAwait(false);
            var bytes = await answer.Content.ReadAsByteArrayAsync(forwarding).ConfigureAwait(false);
            _forwarded.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (rule?.Fault == ProxyFault.DropAnswer)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = (int)answer.StatusCode;
            if (answer.Content.Headers.ContentType is { } contentType)
            {
                context.Response.ContentType = contentType.ToString();
            }

            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _http.Dispose();
        }
    }
}
