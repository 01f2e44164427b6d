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
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            var answer = await _sandbox.HandleAsync(request.Method.Method, path, uri.Query, body, cancellationToken).ConfigureAwait(false);
            if (answer.Reset)
            {
                throw new HttpRequestException("The connection was reset by the sandbox.");
            }

            return new HttpResponseMessage((HttpStatusCode)answer.StatusCode)
            {
                RequestMessage = request,
                Content = new StringContent(answer.Body, Encoding.UTF8, "application/json"),
            };
        }
    }
}
