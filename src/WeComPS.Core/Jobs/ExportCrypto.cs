using System;
using System.Linq;
using System.Security.Cryptography;

namespace WeComPS
{
    /// <summary>
    /// The encryption of WeCom's export files: AES-256-CBC with the key given as <c>encoding_aeskey</c> (43
    /// characters, the Base64 of 32 bytes without its '='), the IV the key's first 16 bytes, and the data padded with
    /// PKCS#7 to a multiple of 32 bytes (not AES's 16, so the padding is checked and removed here).
    /// </summary>
    internal static class WeComExportCrypto
    {
        private const int PadBlock = 32;

        private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

        /// <summary>
        /// A new random encoding_aeskey: 43 characters chosen from the 62 letters and digits, as WeCom requires (D/94849);
        /// its Base64 with '=' appended decodes to the 32-byte AES key.
        /// </summary>
        public static string NewKey()
        {
            var chars = new char[43];
            var bytes = new byte[1];
            using (var random = RandomNumberGenerator.Create())
            {
                for (var i = 0; i < chars.Length;)
                {
                    random.GetBytes(bytes);
                    // 248 = 4 * 62: rejecting the rest keeps every character equally likely.
                    if (bytes[0] < 248)
                    {
                        chars[i++] = KeyAlphabet[bytes[0] % 62];
                    }
                }
            }

            return new string(chars);
        }

        /// <summary>The 32-byte AES key of an encoding_aeskey.</summary>
        public static byte[] KeyOf(string encodingAesKey)
        {
            byte[]? key = null;
            if (encodingAesKey?.Length == 43)
            {
                try
                {
                    key = Convert.FromBase64String(encodingAesKey + "=");
                }
                catch (FormatException)
                {
                }
            }

            return key?.Length == 32 ? key : throw WeComException.InvalidInput("InvalidExportKey", Msg.Get("InvalidExportKey"));
        }

        /// <summary>Decrypts one export file; a wrong key or damaged data fails with ExportFileUnreadable.</summary>
        public static byte[] Decrypt(byte[] cipherText, string encodingAesKey)
        {
            var key = KeyOf(encodingAesKey);
            if (cipherText.Length == 0 || cipherText.Length % PadBlock != 0)
            {
                throw Unreadable($"its length {cipherText.Length} is not a multiple of {PadBlock}");
            }

            byte[] plain;
            using (var aes = Aes.Create())
            {
                aes.Mode = CipherMode.CBC;
                aes.Padding = PaddingMode.None;
                aes.Key = key;
                aes.IV = key.Take(16).ToArray();
                using var decryptor = aes.CreateDecryptor();
                plain = decryptor.TransformFinalBlock(cipherText, 0, cipherText.Length);
            }

            var pad = plain[plain.Length - 1];
            if (pad < 1 || pad > PadBlock || plain.Skip(plain.Length - pad).Any(b => b != pad))
            {
                throw Unreadable("its padding is not PKCS#7 (wrong key, or damaged data)");
            }

            return plain.Take(plain.Length - pad).ToArray();
        }

        private static WeComException Unreadable(string why) =>
            WeComException.Rejected("ExportFileUnreadable", Msg.Get("ExportFileUnreadable", why), "export/get_result", Msg.Get("RunExportAgain"));
    }
}
