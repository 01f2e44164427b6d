# In a session whose UI culture is zh-CN, errors, warnings and -WhatIf text are Chinese, as the help is; error ids,
# errcodes and output stay the same. Each case runs in a fresh process that sets its UI culture before importing.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:pwsh = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') {
        $script:pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    }

    # Runs the same commands under -Culture: an invalid mobile (an error), a CSV column that matches nothing
    # (a warning), a -WhatIf removal, and WeCom's own refusal of a missing member.
    $script:InCulture = {
        param([string] $Culture)
        $script = @"
`$ErrorActionPreference = 'Continue'; `$ProgressPreference = 'SilentlyContinue'
[System.Globalization.CultureInfo]::CurrentUICulture = '$Culture'
Import-Module '$ModulePath'
Connect-WeCom -Sandbox
New-WeComUser -UserId chen.xin -Name 陈新 -Mobile 138-abc -Department 1 -ErrorVariable bad -ErrorAction SilentlyContinue
Get-WeComUser -UserId nobody -ErrorVariable missing -ErrorAction SilentlyContinue
'UserId,Dept' , 'LiSi,5' | ConvertFrom-Csv | Set-WeComUser -WhatIf -WarningVariable warned -WarningAction SilentlyContinue
Write-Output ('ID ' + `$bad[0].FullyQualifiedErrorId)
Write-Output ('ERROR ' + `$bad[0].ErrorDetails.Message)
Write-Output ('MISSINGID ' + `$missing[0].FullyQualifiedErrorId)
Write-Output ('MISSING ' + `$missing[0].ErrorDetails.Message)
Write-Output ('ADVICE ' + `$missing[0].ErrorDetails.RecommendedAction)
Write-Output ('WARNING ' + `$warned[0].Message)
Remove-WeComUser -UserId LiSi -WhatIf
Write-Output ('NAME ' + (Get-WeComUser -UserId LiSi).Name)
"@
        $path = Join-Path $TestDrive "$Culture.ps1"
        Set-Content $path $script -Encoding utf8
        & $pwsh -NoProfile -NonInteractive -File $path 2>&1 | ForEach-Object { "$_" }
    }
    $script:Line = { param($Output, $Tag) ($Output | Where-Object { $_ -like "$Tag *" } | Select-Object -First 1) -replace "^$Tag ", '' }
}

Describe 'Messages in the admin''s language' -Tag CI {
    It 'speaks Chinese under zh-CN: errors, advice, warnings and -WhatIf' {
        $output = & $InCulture 'zh-CN'

        & $Line $output 'ID' | Should -BeExactly 'InvalidMobile,WeComPS.Commands.NewWeComUserCommand'
        & $Line $output 'ERROR' | Should -BeLike '成员“chen.xin”：“138-abc”不是有效的手机号*+国家码 号码*'
        & $Line $output 'MISSINGID' | Should -BeLike 'UserNotFound,*'
        & $Line $output 'MISSING' | Should -Match '企业微信错误 60111（userid 不存在）|成员'
        & $Line $output 'ADVICE' | Should -Match '帐号'
        & $Line $output 'WARNING' | Should -BeLike "列 'Dept' 与 Set-WeComUser 的任何参数都不匹配*"
        ($output -join "`n") | Should -Match '删除成员'
        & $Line $output 'NAME' | Should -BeExactly '李四' -Because 'output stays as WeCom holds it'
    }

    It 'stays English under en-US' {
        $output = & $InCulture 'en-US'

        & $Line $output 'ID' | Should -BeExactly 'InvalidMobile,WeComPS.Commands.NewWeComUserCommand'
        & $Line $output 'ERROR' | Should -BeLike "User 'chen.xin': '138-abc' is not a mobile number*+<country code> <number>*"
        & $Line $output 'WARNING' | Should -BeLike "The column(s) 'Dept' match no parameter of Set-WeComUser*"
        ($output -join "`n") | Should -Match 'Remove member'
        & $Line $output 'ADVICE' | Should -Not -Match '\p{IsCJKUnifiedIdeographs}{3}' -Because 'only console terms such as 帐号 are quoted in Chinese'
    }
}
