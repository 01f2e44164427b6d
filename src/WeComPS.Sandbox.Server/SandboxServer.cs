using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
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
    /// <summary>Serves a <see cref="WeComSandbox"/> over HTTP on loopback (Kestrel), at http://127.0.0.1:port/cgi-bin/.</summary>
    public sealed class SandboxServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private SandboxServer(WebApplication app, WeComSandbox sandbox, Uri baseUri)
        {
            _app = app;
            Sandbox = sandbox;
            BaseUri = baseUri;
        }

        public WeComSandbox Sandbox { get; }

        /// <summary>The endpoint to pass to Connect-WeCom -BaseUri, ending in /cgi-bin/.</summary>
        public Uri BaseUri { get; }

        /// <summary>
        /// Starts serving on 127.0.0.1; port 0 takes a free one. With <paramref name="debugEndpoints"/> it also serves
        /// /debug/ (see <see cref="MapDebugEndpoints"/>) to requests whose Host is loopback.
        /// </summary>
        public static async Task<SandboxServer> StartAsync(WeComSandbox sandbox, int port = 0, bool debugEndpoints = false)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(options =>
            {
                options.Listen(IPAddress.Loopback, port);
                options.Limits.MaxConcurrentConnections = 1024;
            });
            var app = builder.Build();
            app.Map("/cgi-bin/{**path}", context => Serve(sandbox, context, ""));
            app.Map("/" + WeComSandbox.ExportFileRoute + "/{**path}", context => Serve(sandbox, context, WeComSandbox.ExportFileRoute + "/"));
            if (debugEndpoints)
            {
                MapDebugEndpoints(app, sandbox);
            }

            await app.StartAsync().ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            sandbox.PublicBaseUri = new Uri(address.TrimEnd('/') + "/");
            return new SandboxServer(app, sandbox, new Uri(address.TrimEnd('/') + "/cgi-bin/"));
        }

        private static async Task Serve(WeComSandbox sandbox, HttpContext context, string prefix)
        {
            byte[]? bytes = null;
            if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                bytes = buffer.ToArray();
            }

            var form = SandboxForm.Parse(context.Request.ContentType, bytes);
            var body = bytes is null || form != null ? null : Encoding.UTF8.GetString(bytes);
            var path = prefix + ((string?)context.Request.RouteValues["path"] ?? "");
            SandboxResponse answer;
            try
            {
                answer = await sandbox.HandleAsync(context.Request.Method, path, context.Request.QueryString.Value ?? "", body, context.RequestAborted, form).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            if (answer.Reset)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = answer.StatusCode;
            context.Response.ContentType = answer.ContentType;
            if (answer.Content != null)
            {
                await context.Response.Body.WriteAsync(answer.Content, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await context.Response.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
        }

        /// <summary>
        /// Lets a test in another process drive and inspect the sandbox (the server listens on loopback only, and its
        /// tokens are worthless outside it): <c>GET /debug/stats</c> (calls per path, in flight, cancelled, faults
        /// injected), <c>GET /debug/tokens</c> (every token issued), <c>POST /debug/inject?path=&amp;fault=&amp;times=</c>
        /// (faults as <see cref="SandboxFault.Parse"/> reads them), <c>POST /debug/latency?ms=</c> and
        /// <c>POST /debug/reset</c> (statistics and faults).
        /// </summary>
        private static void MapDebugEndpoints(WebApplication app, WeComSandbox sandbox)
        {
            // A page of another site (DNS rebinding) reaches loopback with its own name as Host: refused.
            var debug = app.MapGroup("/debug").AddEndpointFilter(async (context, next) =>
                IsLoopback(context.HttpContext.Request.Host.Host) ? await next(context).ConfigureAwait(false) : Results.StatusCode(StatusCodes.Status403Forbidden));
            debug.MapGet("/stats", () => Results.Json(new
            {
                calls = sandbox.CallCounts,
                inFlight = sandbox.InFlightCalls,
                maxInFlight = sandbox.MaxConcurrentCalls,
                cancelled = sandbox.CancelledCalls,
                faultsInjected = sandbox.FaultsInjected,
            }));
            debug.MapGet("/tokens", () => Results.Json(new { tokens = sandbox.IssuedTokens }));
            debug.MapPost("/inject", (string path, string fault, int? times) =>
            {
                try
                {
                    sandbox.Inject(path, SandboxFault.Parse(fault), times ?? 1);
                    return Results.Ok();
                }
                catch (FormatException ex)
                {
                    return Results.BadRequest(ex.Message);
                }
            });
            debug.MapPost("/latency", (int ms) =>
            {
                sandbox.Latency = TimeSpan.FromMilliseconds(ms);
                return Results.Ok();
            });
            debug.MapPost("/reset", () =>
            {
                sandbox.ClearFaults();
                sandbox.ResetStatistics();
                return Results.Ok();
            });
        }

        private static bool IsLoopback(string host) =>
            host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
