using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;

namespace WeComPS
{
    /// <summary>The multipart/form-data body WeCom's media/upload takes.</summary>
    internal static class Multipart
    {
        /// <summary>
        /// One file field. Names are quoted and the boundary is not, as WeCom's upload expects (.NET would quote the
        /// boundary and leave the names bare); <c>filelength</c> is sent as WeCom's samples do.
        /// </summary>
        public static HttpContent File(string field, string fileName, byte[] content)
        {
            var boundary = "WeComPS" + Guid.NewGuid().ToString("N");
            var form = new MultipartFormDataContent(boundary);
            form.Headers.Remove("Content-Type");
            form.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=" + boundary);
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
            {
                Name = Quoted(field),
                FileName = Quoted(fileName),
                Parameters = { new NameValueHeaderValue("filelength", content.Length.ToString(CultureInfo.InvariantCulture)) },
            };
            form.Add(file);
            return form;
        }

        private static string Quoted(string value) => "\"" + value + "\"";
    }
}
