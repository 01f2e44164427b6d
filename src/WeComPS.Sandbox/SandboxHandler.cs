using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS.Sandbox
{
    /// <summary>Serves HTTP requests from a <see cref="WeComSandbox"/> in-process, with no socket.</summary>
    public sealed class SandboxHandler : HttpMessageHandler
    {
        private readonly WeComSandbox _sandbox;

        public SandboxHandler(WeComSandbox sandbox) => _sandbox = sandbox;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var path = uri.AbsolutePath;
            var start = path.IndexOf("/cgi-bin/", System.StringComparison.Ordinal);
            path = start < 0 ? path : path.Substring(start + "/cgi-bin/".Length);
            var bytes = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            var form = SandboxForm.Parse(request.Content?.Headers.ContentType?.ToString(), bytes);
            var body = bytes is null || form != null ? null : Encoding.UTF8.GetString(bytes);
            var answer = await _sandbox.HandleAsync(request.Method.Method, path, uri.Query, body, cancellationToken, form).ConfigureAwait(false);
            if (answer.Reset)
            {
                throw new HttpRequestException("The connection was reset by the sandbox.");
            }

            return new HttpResponseMessage((HttpStatusCode)answer.StatusCode)
            {
                RequestMessage = request,
                Content = answer.Content is null ? new StringContent(answer.Body, Encoding.UTF8, "application/json") : Binary(answer),
            };
        }

        private static HttpContent Binary(SandboxResponse answer)
        {
            var content = new ByteArrayContent(answer.Content!);
            content.Headers.TryAddWithoutValidation("Content-Type", answer.ContentType);
            return content;
        }
    }
}
